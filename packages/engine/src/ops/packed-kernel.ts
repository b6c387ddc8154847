/**
 * A frozen linear weight stored in 16 bits (recipe `weightStorage: f16 | bf16`, backend webgpu): the [in, out] kernel
 * packed two halves per int32 word, multiplied by the 16-bit matmul kernel (ops/webgpu-matmul16.ts), which
 * widens each weight to f32 and accumulates in f32. It never trains: LoRA adapters, heads and the optimiser stay f32.
 */
import * as tf from '@tensorflow/tfjs-core';
import { modelErrors } from '../errors.js';
import { type HalfFormat, packHalves } from './half-precision.js';
import { MATMUL16_KERNEL } from './webgpu-matmul16.js';

/** A frozen [in, out] weight held as packed halves. */
export class PackedKernel {
  /** @param words int32 [in, ceil(out / 2)]: halves of row r, columns 2c (low 16 bits) and 2c + 1 (high). */
  constructor(
    readonly words: tf.Tensor2D,
    readonly format: HalfFormat,
    readonly shape: [number, number],
  ) {}

  get isDisposed(): boolean {
    return this.words.isDisposed;
  }

  dispose(): void {
    this.words.dispose();
  }
}

/** True when a linear weight is held in 16 bits. */
export function isPackedKernel(kernel: unknown): kernel is PackedKernel {
  return kernel instanceof PackedKernel;
}

/** Packs an f32 [in, out] weight (read back asynchronously: GPU tensors have no sync read in Node); keeps `kernel`. */
export async function packKernel(kernel: tf.Tensor2D, format: HalfFormat): Promise<PackedKernel> {
  const [rows, cols] = kernel.shape;
  return packedKernelOf(packHalves(await kernel.data(), rows, cols, format), format, [rows, cols]);
}

/**
 * Packs a checkpoint's HF-layout [out, in] weight, still on the CPU, as the [in, out] kernel: only the packed words
 * are uploaded, never an f32 copy (loadDecoder's weightStorage).
 */
export function packCheckpointWeight(hfWeight: ArrayLike<number>, out: number, inFeatures: number, format: HalfFormat) {
  return packedKernelOf(packHalves(hfWeight, inFeatures, out, format, true), format, [inFeatures, out]);
}

function packedKernelOf(words: Int32Array, format: HalfFormat, [rows, cols]: [number, number]): PackedKernel {
  return new PackedKernel(tf.tensor2d(words, [rows, Math.ceil(cols / 2)], 'int32'), format, [rows, cols]);
}

/**
 * x2 @ W ([M, in] → [M, out]) or, `transposed`, x2 @ W^T ([M, out] → [M, in]), on the webgpu backend. Other
 * backends have no such kernel: refused with WEIGHT_STORAGE_UNSUPPORTED.
 */
export function matMul16(x2: tf.Tensor2D, w: PackedKernel, transposed = false): tf.Tensor2D {
  const backend = tf.getBackend();
  if (!tf.getKernel(MATMUL16_KERNEL, backend)) throw modelErrors.weightStorageUnsupported(w.format, backend);
  const attrs = { format: w.format, transposed, outFeatures: w.shape[1] };
  return tf.engine().runKernel(MATMUL16_KERNEL, { x: x2, w: w.words }, attrs as never) as tf.Tensor2D;
}
