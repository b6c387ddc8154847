import type { TokenHead } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import type { TokenBatch } from '../batching/encoded-sentence.js';
import type { SequenceEncoder } from './sequence-encoder.js';

/** Label ids per scored word, by sentence index (`TokenBatch.indices`). */
export async function predictLabels(
  encoder: SequenceEncoder,
  head: TokenHead,
  batches: readonly TokenBatch[],
): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  for (const batch of batches) {
    const hidden = tf.tidy(() => encoder.hiddenStates({ ids: batch.ids, lengths: batch.lengths }, null));
    const decoded = await head.decode(hidden, { positions: batch.positions });
    hidden.dispose();
    batch.indices.forEach((index, row) => {
      out.set(index, decoded[row]);
    });
  }
  return out;
}
