import { _FusedMatMul, BatchMatMul } from '@tensorflow/tfjs-core';
import { activeNative, nativeKernelActive } from './enable-native.js';
import { nativeErrors } from './errors.js';
import { loadAddon } from './native-addon.js';

/**
 * How the native kernels multiply matrices. `f32`: float32 operands through OpenBLAS (the default). `bf16`: both
 * operands of every matmul the native kernels take rounded to bfloat16 (round to nearest even, NaN kept, subnormals
 * to zero), products summed in float32 on Intel AMX tiles, float32 results: PyTorch's CPU autocast to bfloat16
 * rounds the same operands, but lookright keeps every output and every other op in float32.
 */
export type MatmulPrecision = 'f32' | 'bf16';

/** The bf16 kernel's generation: a cell hash with matmulPrecision bf16 covers it (a new kernel is a new cell). */
export const NATIVE_BF16_KERNELS = 'amx-bf16-1';

let precision: MatmulPrecision = 'f32';

/** The precision the native matmul kernels use now. */
export function matmulPrecision(): MatmulPrecision {
  return precision;
}

/** Whether `bf16` can run here (the addon built, AMX-BF16 on this CPU and granted by the OS); if not, why. */
export function bf16MatmulSupport(): { ok: true } | { ok: false; reason: string } {
  const loaded = loadAddon();
  if (!loaded.ok) return { ok: false, reason: loaded.reason };
  if (!loaded.addon.amxBf16Available()) {
    return { ok: false, reason: 'this CPU has no AMX-BF16 (or the kernel did not grant the tile registers)' };
  }
  return { ok: true };
}

/**
 * Sets the native matmul precision until the returned function restores the previous one. `bf16` needs the native
 * matmul kernels enabled on the current backend and a CPU with AMX-BF16; throws NATIVE_NOT_ENABLED or
 * NATIVE_BF16_UNAVAILABLE otherwise (never a silent float32 run under a bf16 name).
 */
export function setMatmulPrecision(next: MatmulPrecision): () => void {
  if (next === 'bf16') {
    if (!activeNative() || !nativeKernelActive(BatchMatMul) || !nativeKernelActive(_FusedMatMul)) {
      throw nativeErrors.notNative('matmul precision bf16');
    }
    const support = bf16MatmulSupport();
    if (!support.ok) throw nativeErrors.bf16Unavailable(support.reason);
  }
  const previous = precision;
  precision = next;
  return () => {
    precision = previous;
  };
}
