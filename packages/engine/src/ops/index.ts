import * as tf from '@tensorflow/tfjs-core';
import { type AttentionShape, attention } from './attention.js';
import { batchedMatMul } from './batched-matmul.js';
import { deviceScalar } from './device-scalar.js';
import { seededDropout } from './dropout.js';
import { embedding } from './embedding.js';
import { linear } from './linear.js';
import { linearTransposed } from './linear-transposed.js';
import { maskedSoftmax } from './masked-softmax.js';
import { rmsNorm } from './rms-norm.js';
import { applyRope } from './rope.js';
import { swiglu } from './swiglu.js';

/**
 * addend + scale * linear(x, kernel, bias) (scale omitted: addend + linear(...)); addend has the projection's
 * output shape. The decoder adds a residual stream and a LoRA update into their projections through it, so a
 * backend can fuse the add into the GEMM. This default is the plain composition over the active `linear`.
 */
export function linearAdd(
  x: tf.Tensor,
  kernel: tf.Tensor2D,
  addend: tf.Tensor,
  scale?: number,
  bias?: tf.Tensor1D,
): tf.Tensor {
  const y = trainingOps().linear(x, kernel, bias);
  return tf.add(addend, scale === undefined ? y : tf.mul(y, deviceScalar(scale)));
}

/**
 * Grouped-query attention over RoPE-rotated q and k: attention(applyRope(q), applyRope(k), v, bias, shape) with
 * the active ops (q [B,S,heads,D], k/v [B,S,kvHeads,D]; cos / sinSigned the engine's [S,1,D] tables). A backend
 * may rotate while it splits heads, in one pass.
 */
export function ropeAttention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  cos: tf.Tensor,
  sinSigned: tf.Tensor,
  bias: tf.Tensor,
  shape: AttentionShape,
): tf.Tensor {
  const ops = trainingOps();
  const qr = ops.applyRope(q, cos, sinSigned);
  const kr = ops.applyRope(k, cos, sinSigned);
  return ops.attention(qr, kr, v, bias, shape);
}

/**
 * The training ops the decoder model calls, one file each. A native kernel (issue 5) replaces an entry with
 * `replaceTrainingOps`; the replacement must keep the signature and the gradient contract (trainable
 * tf.Variables get gradients, other weights are constants).
 */
export interface TrainingOps {
  linear: typeof linear;
  linearAdd: typeof linearAdd;
  linearTransposed: typeof linearTransposed;
  batchedMatMul: typeof batchedMatMul;
  rmsNorm: typeof rmsNorm;
  applyRope: typeof applyRope;
  swiglu: typeof swiglu;
  maskedSoftmax: typeof maskedSoftmax;
  attention: typeof attention;
  ropeAttention: typeof ropeAttention;
  embedding: typeof embedding;
  /** Seeded inverted dropout (the mask of dropoutMask); x itself at rate 0. */
  dropout: typeof seededDropout;
  /**
   * Seeded inverted dropout with exactly dropoutMask's mask on every backend (the CPU-drawn stream), for layers
   * whose values must match across backends; a replacement must keep the mask bit for bit (native draws it in C).
   */
  hostMaskDropout: typeof seededDropout;
}

/** The pure-tfjs implementations. */
export const tfjsTrainingOps: Readonly<TrainingOps> = Object.freeze({
  linear,
  linearAdd,
  linearTransposed,
  batchedMatMul,
  rmsNorm,
  applyRope,
  swiglu,
  maskedSoftmax,
  attention,
  ropeAttention,
  embedding,
  dropout: seededDropout,
  hostMaskDropout: seededDropout,
});

let active: TrainingOps = { ...tfjsTrainingOps };

/** The ops in use now. */
export function trainingOps(): Readonly<TrainingOps> {
  return active;
}

/** Replaces some ops (e.g. with native kernels); returns a function that restores the previous set. */
export function replaceTrainingOps(replacements: Partial<TrainingOps>): () => void {
  const previous = active;
  active = { ...active, ...replacements };
  return () => {
    active = previous;
  };
}

export type { AttentionShape } from './attention.js';
export { isTrainable, withCustomGradient } from './custom-gradient.js';
export { deviceScalar } from './device-scalar.js';
export { dropoutMask } from './dropout.js';
export { denseLabels, IGNORE_INDEX, maskedCrossEntropy } from './masked-cross-entropy.js';
export { inverseFrequencies, type RopeConfig, type RopeScaling, ropeTables } from './rope-tables.js';
export { type AdamWUpdateSettings, webgpuAdamWActive, webgpuAdamWUpdate } from './webgpu-adamw.js';
export { gpuDropoutMask } from './webgpu-dropout.js';
export { webgpuTrainingOps } from './webgpu-training-ops.js';
export { applyRope, attention, batchedMatMul, embedding, linear, maskedSoftmax, rmsNorm, seededDropout, swiglu };
