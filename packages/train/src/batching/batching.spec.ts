import assert from 'node:assert/strict';
import { SeededRng } from '../rng.js';
import { type EncodedSentence, paddingFraction } from './encoded-sentence.js';
import { bucketedTrainBatches, sortedEvalBatches } from './length-buckets.js';

function sentences(count: number, rng: SeededRng): EncodedSentence[] {
  return Array.from({ length: count }, (_, index) => {
    const n = 3 + rng.nextInt(60);
    return { index, ids: Array.from({ length: n }, (_, i) => 10 + i), positions: [1], labels: [0], wordIndices: [0] };
  });
}

describe('batching', () => {
  const data = sentences(500, new SeededRng(1));

  it('pads each batch to its own longest sentence, not to a global maximum', () => {
    const batches = bucketedTrainBatches(data, 16, 0, new SeededRng(2));
    assert.ok(
      batches.some((b) => b.width < 40),
      'short batches stay short',
    );
    for (const b of batches) {
      assert.equal(b.width, Math.max(...b.lengths));
      for (const [r, row] of b.ids.entries()) {
        assert.equal(row.length, b.width);
        assert.ok(row.slice(b.lengths[r]).every((id) => id === 0));
      }
    }
  });

  it('uses every sentence exactly once per epoch', () => {
    const batches = bucketedTrainBatches(data, 16, 0, new SeededRng(2));
    const seen = batches.flatMap((b) => b.indices).sort((a, b) => a - b);
    assert.deepEqual(
      seen,
      data.map((s) => s.index),
    );
  });

  it('bucketing pads far less than random batches of the same size', () => {
    const bucketed = paddingFraction(bucketedTrainBatches(data, 16, 0, new SeededRng(2)));
    const random = paddingFraction(bucketedTrainBatches(data, 16, 0, new SeededRng(2), 1));
    assert.ok(bucketed < random / 3, `bucketed ${bucketed} vs unbucketed ${random}`);
  });

  it('shuffles deterministically from the seed', () => {
    const order = (seed: number) => bucketedTrainBatches(data, 16, 0, new SeededRng(seed)).flatMap((b) => b.indices);
    assert.deepEqual(order(5), order(5));
    assert.notDeepEqual(order(5), order(6));
  });

  it('evaluation batches are sorted and complete', () => {
    const batches = sortedEvalBatches(data, 32, 0);
    assert.equal(
      batches.reduce((n, b) => n + b.ids.length, 0),
      data.length,
    );
    assert.ok(paddingFraction(batches) < 0.1);
  });
});
