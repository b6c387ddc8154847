import { _FusedMatMul, BatchMatMul, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendMemory } from '../backend-memory.js';
import { matmulPrecision } from '../matmul-precision.js';
import type { NativeAddon } from '../native-addon.js';
import { input, type NativeKernel, sizeOf } from './native-kernel.js';

/**
 * op(a) @ op(b) (+ bias) through cblas_sgemm, transpose flags handled by BLAS (or the AMX bf16 kernel under
 * matmul precision bf16). Handles float32 of
 * rank >= 2 whose batch dims are equal or one side has a batch of 1; returns null (use the original
 * kernel) for anything else: other dtypes, partial broadcasting such as [2,1,..] x [1,3,..], empty tensors.
 */
export function gemm(
  a: TensorInfo,
  b: TensorInfo,
  transA: boolean,
  transB: boolean,
  bias: TensorInfo | undefined,
  mem: BackendMemory,
  addon: NativeAddon,
): TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb || m === 0 || n === 0 || k === 0) return null;
  if (bias && (bias.dtype !== 'float32' || sizeOf(bias.shape) !== n || bias.shape[bias.shape.length - 1] !== n)) {
    return null;
  }
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = sizeOf(outerA);
  const batchB = sizeOf(outerB);
  const outer = batchOuterShape(outerA, outerB, batchA, batchB);
  if (!outer) return null;
  const out = mem.alloc([...outer, m, n], 'float32');
  const biasView = bias ? mem.f32(bias) : undefined;
  const multiply = matmulPrecision() === 'bf16' ? addon.gemmBf16 : addon.gemm;
  multiply(mem.f32(a), mem.f32(b), mem.f32(out), batchA, batchB, m, n, k, transA, transB, biasView);
  return out;
}

/** Output batch dims when the batches are identical or one side is a single matrix; else null. */
function batchOuterShape(outerA: number[], outerB: number[], batchA: number, batchB: number): number[] | null {
  if (batchB === 1 && outerB.length <= outerA.length) return outerA;
  if (batchA === 1 && outerA.length <= outerB.length) return outerB;
  if (outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i])) return outerA;
  return null;
}

/** BatchMatMul (2-D and batched). */
export const batchMatMulKernel: NativeKernel = {
  kernelName: BatchMatMul,
  run(inputs, attrs, mem, addon) {
    const a = input(inputs, 'a', BatchMatMul);
    const b = input(inputs, 'b', BatchMatMul);
    return gemm(a, b, attrs.transposeA === true, attrs.transposeB === true, undefined, mem, addon);
  },
};

/**
 * tf.fused.matMul with a bias over the last axis and no activation. Replacing it matters beyond speed:
 * wasm's own fused matMul caches packed weights (XNNPACK), which in-place optimizer updates would not reach.
 * Activations other than linear and PReLU weights go to the original kernel.
 */
export const fusedMatMulKernel: NativeKernel = {
  kernelName: _FusedMatMul,
  run(inputs, attrs, mem, addon) {
    const activation = attrs.activation ?? 'linear';
    if (activation !== 'linear' || inputs.preluActivationWeights) return null;
    const a = input(inputs, 'a', _FusedMatMul);
    const b = input(inputs, 'b', _FusedMatMul);
    return gemm(a, b, attrs.transposeA === true, attrs.transposeB === true, inputs.bias, mem, addon);
  },
};
