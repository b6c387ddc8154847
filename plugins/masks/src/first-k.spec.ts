import assert from 'node:assert/strict';
import { maskSpecsToString } from '@lookright/core';
import { firstKMask } from './first-k.js';
import { lastKMask } from './last-k.js';
import { createStrategy } from './test-context.js';

describe('mask:first-k and mask:last-k', () => {
  it('opens the first k layers, nearest the input', async () => {
    assert.equal(maskSpecsToString((await createStrategy(firstKMask, { k: 2 })).layerSpecs(6)), '110000');
    assert.equal((await createStrategy(firstKMask, { k: 2 })).label, 'first-k:2');
  });

  it('opens the last k layers, nearest the output', async () => {
    assert.equal(maskSpecsToString((await createStrategy(lastKMask, { k: 2 })).layerSpecs(6)), '000011');
    assert.equal((await createStrategy(lastKMask, { k: 3 })).label, 'last-k:3');
  });

  it('k = 0 leaves every layer causal and k = L opens every layer', async () => {
    for (const descriptor of [firstKMask, lastKMask]) {
      assert.equal(maskSpecsToString((await createStrategy(descriptor, { k: 0 })).layerSpecs(4)), '0000');
      assert.equal(maskSpecsToString((await createStrategy(descriptor, { k: 4 })).layerSpecs(4)), '1111');
    }
  });

  it('k > L is an error naming the param and the valid range', async () => {
    const strategy = await createStrategy(firstKMask, { k: 5 });
    assert.throws(() => strategy.layerSpecs(4), {
      code: 'MASK_K_TOO_LARGE',
      message: 'mask:first-k: params.k = 5, but the model has only 4 layers',
      hint: /from 0 to 4/,
    });
    await assert.rejects(async () => (await createStrategy(lastKMask, { k: 33 })).layerSpecs(32), {
      code: 'MASK_K_TOO_LARGE',
      message: /mask:last-k.*33.*32 layers/,
    });
  });

  it('a negative or fractional k is refused when the strategy is created', async () => {
    await assert.rejects(createStrategy(firstKMask, { k: -1 }), { code: 'MASK_BAD_PARAM', message: /params\.k/ });
    await assert.rejects(createStrategy(lastKMask, { k: 1.5 }), { code: 'MASK_BAD_PARAM' });
  });
});
