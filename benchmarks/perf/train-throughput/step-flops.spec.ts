import assert from 'node:assert/strict';
import { benchModels } from './bench-config.js';
import { stepMatmulFlops } from './step-flops.js';

describe('stepMatmulFlops', () => {
  it('counts the reference model by hand: full and LoRA', () => {
    // T = 1024 tokens, h = 256, I = 688, 4 layers, 9 labels, LoRA r = 64 on q and v
    const T = 1024;
    const projections = 2 * T * (4 * 256 * 256 + 3 * 256 * 688); // 1,619,001,344 per layer, forward
    const attention = 2 * 2 * T * 64 * 256; // scores and weights·values, forward
    const head = 2 * T * 256 * 9;
    const full = 4 * (3 * projections + 3 * attention) + 3 * head;
    assert.equal(stepMatmulFlops(benchModels.reference, 'full'), full);
    const lora = 2 * (2 * T * 256 * 64 + 2 * T * 64 * 256);
    // layer 0 reads the frozen embedding: no input gradient for its q/k/v and x·A products, no key gradient
    const skipped = 3 * 2 * T * 256 * 256 + 2 * (2 * T * 256 * 64) + 2 * T * 64 * 256;
    const loraStep = 4 * (2 * projections + 3 * attention + 3 * lora) - skipped + 3 * head;
    assert.equal(stepMatmulFlops(benchModels.reference, 'lora'), loraStep);
    assert.ok(
      stepMatmulFlops(benchModels.reference, 'full') > 19e9 && stepMatmulFlops(benchModels.reference, 'full') < 21e9,
    );
  });
});
