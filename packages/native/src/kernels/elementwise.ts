import { Add, backend_util, Multiply, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendMemory } from '../backend-memory.js';
import type { NativeAddon } from '../native-addon.js';
import { input, type NativeKernel, sizeOf } from './native-kernel.js';

/** The addon's op codes of binaryF32. */
const OP = { add: 0, multiply: 1 } as const;

/**
 * a op b for float32 tensors of one shape, or one of them a single value: one IEEE operation per element in C,
 * equal bit for bit to the backends' own Add / Multiply (wasm's cost ~0.3 ms on a [1024, 256] activation).
 * Other broadcasts and dtypes return null (the backend's kernel runs).
 */
function binary(op: number, a: TensorInfo, b: TensorInfo, mem: BackendMemory, addon: NativeAddon): TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const n = sizeOf(outShape);
  const na = sizeOf(a.shape);
  const nb = sizeOf(b.shape);
  if (n === 0 || (na !== n && na !== 1) || (nb !== n && nb !== 1)) return null;
  const out = mem.alloc(outShape, 'float32');
  addon.binaryF32(op, mem.f32(a), mem.f32(b), mem.f32(out));
  return out;
}

/** Add (tf.add and the gradient accumulation of the backward pass). */
export const addKernel: NativeKernel = {
  kernelName: Add,
  run: (inputs, _attrs, mem, addon) => binary(OP.add, input(inputs, 'a', Add), input(inputs, 'b', Add), mem, addon),
};

/** Multiply (dropout masks, LoRA scaling and their gradients). */
export const multiplyKernel: NativeKernel = {
  kernelName: Multiply,
  run: (inputs, _attrs, mem, addon) =>
    binary(OP.multiply, input(inputs, 'a', Multiply), input(inputs, 'b', Multiply), mem, addon),
};
