import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { nativeKernelActive } from '../enable-native.js';
import { SUMS_OF_SQUARES } from '../kernels/sum-squares.js';
import { runKernel } from './custom-grad.js';

/**
 * tf.sum(tf.square(x)) for each of `xs` in one native call (one pass over each, the tensors split over the kernel
 * threads), bit-identical to those two ops on the active backend. Null when the native kernel is not active on this
 * backend or an x is not float32 or empty (wasm's Sum of no values is not 0): the caller then runs the tfjs ops. Not differentiable (clipping's norms).
 */
export function nativeSumsOfSquares(xs: readonly Tensor[]): Scalar[] | null {
  if (
    xs.length === 0 ||
    !nativeKernelActive(SUMS_OF_SQUARES) ||
    xs.some((x) => x.dtype !== 'float32' || x.size === 0)
  ) {
    return null;
  }
  const inputs = Object.fromEntries(xs.map((x, i) => [`x${i}`, x]));
  return runKernel(SUMS_OF_SQUARES, inputs) as Scalar[];
}
