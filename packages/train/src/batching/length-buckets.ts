import type { SeededRng } from '../rng.js';
import { type EncodedSentence, padBatch, type TokenBatch } from './encoded-sentence.js';

/** How many batches' worth of sentences are sorted together by length before being cut into batches. */
export const DEFAULT_BUCKET_BATCHES = 50;

/**
 * One epoch of training batches: the sentences are shuffled, taken in pools of `bucketBatches · batchSize`, each
 * pool sorted by length and cut into batches (so a batch holds similar lengths and pads little), and the batch
 * order shuffled again. Everything random comes from `rng`, so the same seed gives the same epoch.
 */
export function bucketedTrainBatches(
  sentences: readonly EncodedSentence[],
  batchSize: number,
  padId: number,
  rng: SeededRng,
  bucketBatches = DEFAULT_BUCKET_BATCHES,
): TokenBatch[] {
  const order = rng.shuffled(sentences);
  const pool = batchSize * bucketBatches;
  const groups: EncodedSentence[][] = [];
  for (let start = 0; start < order.length; start += pool) {
    const sorted = order.slice(start, start + pool).sort((a, b) => a.ids.length - b.ids.length || a.index - b.index);
    for (let i = 0; i < sorted.length; i += batchSize) groups.push(sorted.slice(i, i + batchSize));
  }
  return rng.shuffled(groups).map((g) => padBatch(g, padId));
}

/** Evaluation batches: sorted by length (least padding), no randomness; predictions are mapped back by index. */
export function sortedEvalBatches(
  sentences: readonly EncodedSentence[],
  batchSize: number,
  padId: number,
): TokenBatch[] {
  const sorted = [...sentences].sort((a, b) => a.ids.length - b.ids.length || a.index - b.index);
  const out: TokenBatch[] = [];
  for (let i = 0; i < sorted.length; i += batchSize) out.push(padBatch(sorted.slice(i, i + batchSize), padId));
  return out;
}
