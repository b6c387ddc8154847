/**
 * A frozen linear weight stored packed (recipe `weightStorage: f16 | bf16 | nf4`, backend webgpu): the [in, out]
 * kernel as 16-bit halves two per int32 word, or NF4 codes eight per word with f32 absmax scales per block of 64
 * (ops/nf4.ts), multiplied by the packed-weight matmul kernel (ops/webgpu-matmul16.ts), which widens each weight to
 * f32 and accumulates in f32. It never trains: LoRA adapters, heads and the optimiser stay f32.
 */
import * as tf from '@tensorflow/tfjs-core';
import { modelErrors } from '../errors.js';
import { type HalfFormat, packHalves } from './half-precision.js';
import { quantizeNf4 } from './nf4.js';
import { MATMUL16_KERNEL } from './webgpu-matmul16.js';

/** A packed storage format: 16-bit halves or 4-bit NormalFloat. */
export type PackedFormat = HalfFormat | 'nf4';

/** A frozen [in, out] weight held packed. */
export class PackedKernel {
  /**
   * @param words int32 [in, ceil(out / 2)] for halves (row r, columns 2c in the low 16 bits and 2c + 1 in the high),
   *   or [in, ceil(out / 8)] for NF4 (column 8c + k in bits 4k..4k+3).
   * @param scales NF4 only: float32 [ceil(in / 64), out], the absmax of each block of 64 rows of a column.
   */
  constructor(
    readonly words: tf.Tensor2D,
    readonly format: PackedFormat,
    readonly shape: [number, number],
    readonly scales?: tf.Tensor2D,
  ) {}

  get isDisposed(): boolean {
    return this.words.isDisposed;
  }

  dispose(): void {
    this.words.dispose();
    this.scales?.dispose();
  }
}

/** True when a linear weight is held packed. */
export function isPackedKernel(kernel: unknown): kernel is PackedKernel {
  return kernel instanceof PackedKernel;
}

/** Packs an f32 [in, out] weight (read back asynchronously: GPU tensors have no sync read in Node); keeps `kernel`. */
export async function packKernel(kernel: tf.Tensor2D, format: PackedFormat): Promise<PackedKernel> {
  return packValues(await kernel.data(), kernel.shape, format, false);
}

/**
 * Packs a checkpoint's HF-layout [out, in] weight, still on the CPU, as the [in, out] kernel: only the packed words
 * (and NF4 scales) are uploaded, never an f32 copy (loadDecoder's weightStorage).
 */
export function packCheckpointWeight(
  hfWeight: ArrayLike<number>,
  out: number,
  inFeatures: number,
  format: PackedFormat,
) {
  return packValues(hfWeight, [inFeatures, out], format, true);
}

function packValues(
  values: ArrayLike<number>,
  [rows, cols]: [number, number],
  format: PackedFormat,
  transposed: boolean,
): PackedKernel {
  if (format === 'nf4') {
    const { words, scales } = quantizeNf4(values, rows, cols, transposed);
    const blocks = scales.length / cols;
    const wordTensor = tf.tensor2d(words, [rows, Math.ceil(cols / 8)], 'int32');
    return new PackedKernel(wordTensor, format, [rows, cols], tf.tensor2d(scales, [blocks, cols], 'float32'));
  }
  const words = packHalves(values, rows, cols, format, transposed);
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
  const inputs: tf.NamedTensorMap = w.scales ? { x: x2, w: w.words, scales: w.scales } : { x: x2, w: w.words };
  return tf.engine().runKernel(MATMUL16_KERNEL, inputs, attrs as never) as tf.Tensor2D;
}
