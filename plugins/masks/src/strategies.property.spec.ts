import assert from 'node:assert/strict';
import { maskSpecsToString } from '@lookright/core';
import fc from 'fast-check';
import { firstKMask } from './first-k.js';
import { groupsMask } from './groups.js';
import { lastKMask } from './last-k.js';
import { formatLayerList, parseLayerList } from './layer-selection.js';
import { layersMask } from './layers.js';
import { middleMask } from './middle.js';
import { createStrategy } from './test-context.js';

const layerCount = fc.integer({ min: 1, max: 64 });

describe('mask strategies: properties over layer counts', () => {
  it('first-k opens exactly layers 0..k-1 and last-k is its mirror', async () => {
    await fc.assert(
      fc.asyncProperty(
        layerCount.chain((L) => fc.tuple(fc.constant(L), fc.integer({ min: 0, max: L }))),
        async ([L, k]) => {
          const first = maskSpecsToString((await createStrategy(firstKMask, { k })).layerSpecs(L));
          const last = maskSpecsToString((await createStrategy(lastKMask, { k })).layerSpecs(L));
          assert.equal(first, '1'.repeat(k) + '0'.repeat(L - k));
          assert.equal(last, [...first].reverse().join(''));
        },
      ),
    );
  });

  it('groups gives every layer of group g the pattern bit g, for every G dividing L', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.infiniteStream(fc.boolean()),
        async (groups, size, bits) => {
          const pattern = [...bits.take(groups)].map((b) => (b ? '1' : '0')).join('');
          const specs = maskSpecsToString((await createStrategy(groupsMask, { pattern })).layerSpecs(groups * size));
          assert.equal(specs, [...pattern].map((bit) => bit.repeat(size)).join(''));
        },
      ),
    );
  });

  it('groups refuses every G not dividing L and lists only the divisors', async () => {
    await fc.assert(
      fc.asyncProperty(layerCount, fc.integer({ min: 1, max: 70 }), async (L, G) => {
        fc.pre(L % G !== 0);
        const strategy = await createStrategy(groupsMask, { pattern: '0'.repeat(G) });
        assert.throws(
          () => strategy.layerSpecs(L),
          (error: Error & { code?: string; hint?: string }) => {
            assert.equal(error.code, 'MASK_GROUPS_INDIVISIBLE');
            const listed = (error.hint ?? '').match(/\d+/g)?.map(Number) ?? [];
            const sizes = listed.slice(0, -2); // the hint ends with "...divide L); a pattern of L characters"
            assert.ok(sizes.every((g) => L % g === 0));
            return true;
          },
        );
      }),
    );
  });

  it('layers opens exactly the listed layers, and range notation round-trips', async () => {
    await fc.assert(
      fc.asyncProperty(
        layerCount.chain((L) =>
          fc.tuple(fc.constant(L), fc.uniqueArray(fc.integer({ min: 0, max: L - 1 }), { minLength: 1 })),
        ),
        async ([L, chosen]) => {
          const sorted = [...chosen].sort((a, b) => a - b);
          const text = formatLayerList(sorted);
          assert.deepEqual(parseLayerList('mask:layers', 'layers', text, L), sorted);
          const specs = (await createStrategy(layersMask, { layers: text })).layerSpecs(L);
          assert.deepEqual(
            specs.flatMap((s, i) => (s.kind === 'bidirectional' ? [i] : [])),
            sorted,
          );
        },
      ),
    );
  });

  it('middle opens round(L/3) contiguous layers with at most one more layer above than below', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 3, max: 96 }), async (L) => {
        const specs = maskSpecsToString((await createStrategy(middleMask, {})).layerSpecs(L));
        const match = /^(0*)(1+)(0*)$/.exec(specs);
        assert.ok(match, specs);
        assert.equal(match[2].length, Math.round(L / 3));
        assert.ok([0, 1].includes(match[3].length - match[1].length), specs);
      }),
    );
  });
});
