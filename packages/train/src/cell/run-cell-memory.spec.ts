import assert from 'node:assert/strict';
import { useConllCellFixture } from '../testing/conll-cell-fixture.js';
import { expectNoTensorGrowth } from '../testing/expect-no-growth.js';
import { runCell } from './run-cell.js';

/** One optimiser step and a few sentences to score: enough to pass every tensor-creating stage of a cell once. */
const tiny = { trainLimit: 16, devLimit: 8, testLimit: 8, epochs: 1 } as const;

describe('runCell leaves no tensors behind (stories260K, wasm, three cells in one process)', function () {
  this.timeout(10 * 60_000);
  const fx = useConllCellFixture('cell-memory');

  const cases = [
    { name: 'LoRA, linear head', head: 'head:linear', recipe: tiny },
    { name: 'full fine-tuning, linear head', head: 'head:linear', recipe: { ...tiny, lora: false as const } },
    { name: 'LoRA, CRF head', head: 'head:crf', recipe: tiny },
  ];
  for (const { name, head, recipe } of cases)
    it(`${name}: the live tensor count is the same after each run`, async () => {
      const steps: number[] = [];
      await expectNoTensorGrowth(async (run) => {
        const config = fx.cell(`${name}-${run}`, { mask: 'mask:bidirectional', head, recipe });
        const result = await runCell(config, { registry: fx.registry, log: () => {} });
        steps.push(result.steps);
      });
      assert.deepEqual(steps, [1, 1, 1], 'each run trained (16 sentences, batch 16, one epoch)');
    });
});
