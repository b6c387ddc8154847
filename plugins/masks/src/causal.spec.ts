import assert from 'node:assert/strict';
import { maskSpecsToString } from '@lookright/core';
import { bidirectionalMask } from './bidirectional.js';
import { causalMask } from './causal.js';
import { createStrategy } from './test-context.js';

describe('mask:causal and mask:bidirectional', () => {
  it('makes every layer causal', async () => {
    const strategy = await createStrategy(causalMask, {});
    assert.equal(maskSpecsToString(strategy.layerSpecs(4)), '0000');
    assert.equal(strategy.layerSpecs(32).length, 32);
    assert.ok(strategy.layerSpecs(32).every((s) => s.kind === 'causal'));
    assert.equal(strategy.label, 'causal');
  });

  it('makes every layer bidirectional', async () => {
    const strategy = await createStrategy(bidirectionalMask, {});
    assert.equal(maskSpecsToString(strategy.layerSpecs(4)), '1111');
    assert.equal(maskSpecsToString(strategy.layerSpecs(1)), '1');
    assert.equal(strategy.label, 'bidirectional');
  });

  it('rejects a layer count that is not a positive integer', async () => {
    const strategy = await createStrategy(causalMask, {});
    assert.throws(() => strategy.layerSpecs(0), { code: 'MASK_BAD_LAYER_COUNT', message: /mask:causal.*0 layers/ });
    assert.throws(() => strategy.layerSpecs(2.5), { code: 'MASK_BAD_LAYER_COUNT' });
  });
});
