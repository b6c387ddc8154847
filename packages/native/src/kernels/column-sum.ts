import { Sum, type TensorInfo, util } from '@tensorflow/tfjs-core';
import type { BackendMemory } from '../backend-memory.js';
import type { NativeAddon } from '../native-addon.js';
import { input, type NativeKernel, sizeOf } from './native-kernel.js';

/**
 * Sum over leading axes of a float32 tensor (the bias gradients of every linear layer: dy [rows, out] summed over
 * rows). The backends transpose such a sum to put the reduced axes last, then add each output's values in order;
 * the addon adds the rows in the same order without the transpose, in a float accumulator on wasm and a double on
 * cpu (as each backend does), so the result is bit-identical. Axes must be given in order ([0, 1], not [1, 0]).
 * Sums over other axes, over every axis, of other
 * dtypes or of empty tensors return null (the backend's kernel runs).
 */
function leadingSum(x: TensorInfo, axis: unknown, keepDims: boolean, mem: BackendMemory, addon: NativeAddon) {
  if (x.dtype !== 'float32' || sizeOf(x.shape) === 0) return null;
  // in the order given: the backends add the reduced axes in that order (axis [1, 0] runs axis 1 outermost)
  const axes = util.parseAxisParam(axis as number | number[], x.shape);
  const lead = axes.length;
  if (lead === 0 || lead >= x.shape.length || axes.some((a, i) => a !== i)) return null;
  const rows = sizeOf(x.shape.slice(0, lead));
  const rest = x.shape.slice(lead);
  const outShape = keepDims ? [...axes.map(() => 1), ...rest] : rest;
  const out = mem.alloc(outShape, 'float32');
  addon.columnSumF32(mem.f32(x), rows, mem.f32(out), mem.backendName === 'cpu');
  return out;
}

/** Sum (tf.sum; the bias and LayerNorm parameter gradients). */
export const columnSumKernel: NativeKernel = {
  kernelName: Sum,
  run: (inputs, attrs, mem, addon) =>
    leadingSum(input(inputs, 'x', Sum), attrs.axis, attrs.keepDims === true, mem, addon),
};
