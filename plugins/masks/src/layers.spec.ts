import assert from 'node:assert/strict';
import { maskSpecsToString } from '@lookright/core';
import { formatLayerList, parseLayerList } from './layer-selection.js';
import { layersMask } from './layers.js';
import { middleMask } from './middle.js';
import { createStrategy } from './test-context.js';

describe('mask:layers', () => {
  it('opens the listed layers and ranges', async () => {
    const strategy = await createStrategy(layersMask, { layers: '0-7,24-31' });
    assert.equal(maskSpecsToString(strategy.layerSpecs(32)), `${'1'.repeat(8)}${'0'.repeat(16)}${'1'.repeat(8)}`);
    assert.equal(strategy.label, 'layers:0-7,24-31');
  });

  it('takes an array of indices too', async () => {
    const strategy = await createStrategy(layersMask, { layers: [3, 0] });
    assert.equal(maskSpecsToString(strategy.layerSpecs(4)), '1001');
  });

  it('an index past the last layer is an error naming it and the valid range', async () => {
    const strategy = await createStrategy(layersMask, { layers: '0-7,24-31' });
    assert.throws(() => strategy.layerSpecs(24), {
      code: 'MASK_LAYER_OUT_OF_RANGE',
      message: 'mask:layers: params.layers names layer 31, but the model has 24 layers (0 to 23)',
    });
  });

  it('refuses a malformed list when created', async () => {
    await assert.rejects(createStrategy(layersMask, { layers: '7-3' }), {
      code: 'MASK_BAD_LAYER_LIST',
      message: /range 7-3 runs backwards/,
    });
    await assert.rejects(createStrategy(layersMask, { layers: '1,,2' }), { message: /an entry is empty/ });
    await assert.rejects(createStrategy(layersMask, { layers: 'first' }), { message: /"first" is not N or N-M/ });
  });

  it('parses and formats range notation', () => {
    assert.deepEqual(parseLayerList('mask:layers', 'layers', ' 5, 0-2 ,2', 8), [0, 1, 2, 5]);
    assert.equal(formatLayerList([0, 1, 2, 5, 7, 8]), '0-2,5,7-8');
  });
});

describe('mask:middle', () => {
  it('opens the middle third of the layers', async () => {
    const strategy = await createStrategy(middleMask, {});
    assert.equal(maskSpecsToString(strategy.layerSpecs(12)), '000011110000');
    assert.equal(maskSpecsToString(strategy.layerSpecs(3)), '010');
    assert.equal(maskSpecsToString(strategy.layerSpecs(4)), '0100');
    assert.equal(maskSpecsToString(strategy.layerSpecs(32)), `${'0'.repeat(10)}${'1'.repeat(11)}${'0'.repeat(11)}`);
  });

  it('needs at least three layers', async () => {
    const strategy = await createStrategy(middleMask, {});
    assert.throws(() => strategy.layerSpecs(2), { code: 'MASK_TOO_FEW_LAYERS', message: /mask:middle.*at least 3/ });
  });
});
