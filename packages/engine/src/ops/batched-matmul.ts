import * as tf from '@tensorflow/tfjs-core';
import { withCustomGradient } from './custom-gradient.js';
import { runsWasmBatchLoop, wasmBlockedMatMul } from './wasm-blocked-matmul.js';

function swapLastTwo(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(t, perm);
}

/** x @ y; on wasm's scalar batched loop, the same numbers through XNNPACK (wasmBlockedMatMul). */
function product(x: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return runsWasmBatchLoop(x, y) ? wasmBlockedMatMul(x, y) : tf.matMul(x, y);
}

/**
 * a [..., M, K] @ b [..., K, N] with equal batch dims, differentiable in both inputs. The gradients use explicit
 * transposes instead of matMul's transposeA/B flags (slow on wasm). On wasm each product runs as bit-identical
 * per-entry 2-D matMuls (wasm-blocked-matmul.ts).
 */
export function batchedMatMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return withCustomGradient(
    [a, b],
    ([x, y]) => ({ value: product(x, y), saved: [x, y] }),
    (dy, [x, y]) => [product(dy, swapLastTwo(y)), product(swapLastTwo(x), dy)],
  );
}
