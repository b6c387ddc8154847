import assert from 'node:assert/strict';
import { type LayerMaskSpec, maskSpecsToString } from '@lookright/core';
import { lookaheadMask } from './lookahead.js';
import { createStrategy } from './test-context.js';

/** Whether query i may see key j under a spec (the core definition written out, ignoring padding). */
function sees(spec: LayerMaskSpec, i: number, j: number): boolean {
  if (spec.kind === 'causal') return j <= i;
  if (spec.kind === 'bidirectional') return true;
  return i - spec.left <= j && j <= i + spec.right;
}

describe('mask:lookahead', () => {
  it('lets every layer see k tokens to the right and everything to the left', async () => {
    const specs = (await createStrategy(lookaheadMask, { k: 2 })).layerSpecs(3);
    assert.equal(specs.length, 3);
    for (const spec of specs) {
      assert.deepEqual(
        [0, 1, 2, 3, 4, 5, 6, 7].map((j) => sees(spec, 5, j)),
        [true, true, true, true, true, true, true, true],
      );
      assert.equal(sees(spec, 5, 8), false);
    }
  });

  it('k = 0 is exactly causal', async () => {
    const specs = (await createStrategy(lookaheadMask, { k: 0 })).layerSpecs(4);
    assert.equal(maskSpecsToString(specs), '0000');
  });

  it('gives the lookahead only to the chosen layers', async () => {
    const strategy = await createStrategy(lookaheadMask, { k: 1, layers: '1-2' });
    assert.equal(maskSpecsToString(strategy.layerSpecs(4)), '0ww0');
    assert.equal(strategy.label, 'lookahead:1@1-2');
    assert.throws(() => strategy.layerSpecs(2), { code: 'MASK_LAYER_OUT_OF_RANGE', message: /layer 2/ });
  });

  it('is a window whose left side is unbounded (MAX_SAFE_INTEGER, JSON-safe) and right side is k', async () => {
    const [spec] = (await createStrategy(lookaheadMask, { k: 3 })).layerSpecs(1);
    assert.deepEqual(spec, { kind: 'window', left: Number.MAX_SAFE_INTEGER, right: 3 });
    assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec);
  });

  it('refuses a negative k', async () => {
    await assert.rejects(createStrategy(lookaheadMask, { k: -2 }), { code: 'MASK_BAD_PARAM', message: /params\.k/ });
  });
});
