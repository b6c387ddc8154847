import assert from 'node:assert/strict';
import { maskSpecsToString } from '@lookright/core';
import { groupCountsFitting, groupsMask } from './groups.js';
import { createStrategy } from './test-context.js';

const specsOf = async (pattern: string, numLayers: number) =>
  maskSpecsToString((await createStrategy(groupsMask, { pattern })).layerSpecs(numLayers));

describe('mask:groups', () => {
  it('spreads each bit over an equal contiguous group, first bit nearest the input', async () => {
    assert.equal(await specsOf('0101', 32), `${'0'.repeat(8)}${'1'.repeat(8)}${'0'.repeat(8)}${'1'.repeat(8)}`);
    assert.equal(await specsOf('1100', 8), '11110000');
    assert.equal(await specsOf('10', 6), '111000');
  });

  it('a pattern as long as the layer count sets each layer', async () => {
    assert.equal(await specsOf('0110', 4), '0110');
    assert.equal(await specsOf('1', 1), '1');
  });

  it('labels itself with the pattern', async () => {
    assert.equal((await createStrategy(groupsMask, { pattern: '0101' })).label, 'groups:0101');
  });

  it('a group count that does not divide the layers is an error listing the counts that fit', async () => {
    const strategy = await createStrategy(groupsMask, { pattern: '010' });
    assert.throws(() => strategy.layerSpecs(32), {
      code: 'MASK_GROUPS_INDIVISIBLE',
      message:
        'mask:groups: params.pattern "010" asks for 3 equal groups, but 32 layers do not split into 3 equal groups',
      hint: /pattern of 1, 2, 4, 8, 16 or 32 characters/,
    });
    assert.throws(() => strategy.layerSpecs(4), { hint: /1, 2 or 4 characters/ });
    const tooLong = await createStrategy(groupsMask, { pattern: '00000' });
    assert.throws(() => tooLong.layerSpecs(4), { code: 'MASK_GROUPS_INDIVISIBLE' });
  });

  it('lists the divisors of the layer count', () => {
    assert.deepEqual(groupCountsFitting(12), [1, 2, 3, 4, 6, 12]);
    assert.deepEqual(groupCountsFitting(7), [1, 7]);
  });

  it('refuses a pattern that is not 0s and 1s', async () => {
    await assert.rejects(createStrategy(groupsMask, { pattern: '01a1' }), { code: 'MASK_BAD_PATTERN' });
    await assert.rejects(createStrategy(groupsMask, { pattern: '' }), { code: 'MASK_BAD_PATTERN' });
  });
});
