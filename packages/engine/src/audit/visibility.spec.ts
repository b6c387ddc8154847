import assert from 'node:assert/strict';
import { bidirectional, causal } from '@lookright/core';
import {
  declaredVisibility,
  describeObserved,
  describeSpec,
  type Visibility,
  type VisibilityContext,
  visibilityDifferences,
} from './visibility.js';

/** A visibility from rows of 0/1 characters (query rows, key columns). */
function grid(...rows: string[]): Visibility {
  return {
    rows: rows.length,
    cols: rows[0].length,
    cells: Uint8Array.from(rows.join(''), (c) => (c === '1' ? 1 : 0)),
  };
}

describe('audit visibility', () => {
  const ctx: VisibilityContext = { seqLen: 5, realLength: 4 };

  it('writes out the declared rules, with padded keys hidden', () => {
    assert.deepEqual(declaredVisibility(causal, ctx), grid('10000', '11000', '11100', '11110'));
    assert.deepEqual(declaredVisibility(bidirectional, ctx), grid('11110', '11110', '11110', '11110'));
    assert.deepEqual(
      declaredVisibility({ kind: 'window', left: 1, right: 1 }, ctx),
      grid('11000', '11100', '01110', '00110'),
    );
  });

  it("applies the model's sliding window to causal and bidirectional layers alike", () => {
    const windowed = { ...ctx, slidingWindow: 2 };
    assert.deepEqual(declaredVisibility(causal, windowed), grid('10000', '11000', '01100', '00110'));
    assert.deepEqual(declaredVisibility(bidirectional, windowed), grid('11000', '11100', '01110', '00110'));
  });

  it('names what was observed, or says irregular', () => {
    assert.equal(describeObserved(grid('10000', '11000', '11100', '11110'), ctx), 'causal');
    assert.equal(describeObserved(grid('11110', '11110', '11110', '11110'), ctx), 'bidirectional');
    assert.equal(describeObserved(grid('11000', '11100', '11110', '11110'), ctx), 'window(left=∞,right=1)');
    assert.equal(describeObserved(grid('11000', '11100', '01110', '00110'), ctx), 'window(left=1,right=1)');
    assert.equal(describeObserved(grid('10000', '01000', '11100', '11110'), ctx), 'irregular');
    assert.equal(describeObserved(grid('10001', '11000', '11100', '11110'), ctx), 'causal + padding');
  });

  it('lists the pairs that differ', () => {
    const differences = visibilityDifferences(grid('10000', '11000'), grid('11000', '11001'));
    assert.deepEqual(differences, [
      { query: 0, key: 1 },
      { query: 1, key: 4 },
    ]);
  });

  it('prints unbounded window sides as ∞', () => {
    assert.equal(describeSpec({ kind: 'window', left: Number.MAX_SAFE_INTEGER, right: 3 }), 'window(left=∞,right=3)');
    assert.equal(describeSpec(causal), 'causal');
  });
});
