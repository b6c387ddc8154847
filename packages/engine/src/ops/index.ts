import { attention } from './attention.js';
import { batchedMatMul } from './batched-matmul.js';
import { seededDropout } from './dropout.js';
import { embedding } from './embedding.js';
import { linear } from './linear.js';
import { linearTransposed } from './linear-transposed.js';
import { maskedSoftmax } from './masked-softmax.js';
import { rmsNorm } from './rms-norm.js';
import { applyRope } from './rope.js';
import { swiglu } from './swiglu.js';

/**
 * The training ops the decoder model calls, one file each. A native kernel (issue 5) replaces an entry with
 * `replaceTrainingOps`; the replacement must keep the signature and the gradient contract (trainable
 * tf.Variables get gradients, other weights are constants).
 */
export interface TrainingOps {
  linear: typeof linear;
  linearTransposed: typeof linearTransposed;
  batchedMatMul: typeof batchedMatMul;
  rmsNorm: typeof rmsNorm;
  applyRope: typeof applyRope;
  swiglu: typeof swiglu;
  maskedSoftmax: typeof maskedSoftmax;
  attention: typeof attention;
  embedding: typeof embedding;
  dropout: typeof seededDropout;
}

/** The pure-tfjs implementations. */
export const tfjsTrainingOps: Readonly<TrainingOps> = Object.freeze({
  linear,
  linearTransposed,
  batchedMatMul,
  rmsNorm,
  applyRope,
  swiglu,
  maskedSoftmax,
  attention,
  embedding,
  dropout: seededDropout,
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
