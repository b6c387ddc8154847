import * as tf from '@tensorflow/tfjs-core';
import { withCustomGradient } from './custom-gradient.js';

function swapLastTwo(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(t, perm);
}

/**
 * a [..., M, K] @ b [..., K, N] with equal batch dims, differentiable in both inputs. The gradients use explicit
 * transposes instead of matMul's transposeA/B flags (slow on wasm).
 */
export function batchedMatMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return withCustomGradient(
    [a, b],
    ([x, y]) => ({ value: tf.matMul(x, y), saved: [x, y] }),
    (dy, [x, y]) => [tf.matMul(dy, swapLastTwo(y)), tf.matMul(swapLastTwo(x), dy)],
  );
}
