/**
 * The engine's training ops on lookright's fused WGSL kernels, for the webgpu backend: startWebgpu registers the
 * kernels, and the trainer swaps the ops in with `replaceTrainingOps(webgpuTrainingOps())` when it runs on webgpu
 * (as it does nativeTrainingOps() on wasm/cpu), so other backends keep their ops and numbers.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { type AttentionShape, attentionWithSoftmax } from './attention.js';
import type { TrainingOps } from './index.js';
import { registerAdamWKernel } from './webgpu-adamw.js';
import { registerDropoutKernel, webgpuDropout } from './webgpu-dropout.js';
import { registerLoraMatMulKernel } from './webgpu-lora-matmul.js';
import { registerMaskedSoftmaxKernels, webgpuMaskedSoftmax } from './webgpu-masked-softmax.js';
import { registerRmsNormKernels, webgpuRmsNorm } from './webgpu-rms-norm.js';
import { registerRopeKernel, webgpuApplyRope } from './webgpu-rope.js';
import { registerSwigluKernels, webgpuSwiglu } from './webgpu-swiglu.js';

/**
 * Registers the fused kernels, AdamW's (which the trainer's AdamW picks itself) and the fused LoRA matmul (not yet
 * used by the decoder; see webgpu-lora-matmul.ts), for the webgpu backend (once; called by startWebgpu).
 */
export function registerWebgpuTrainingKernels(): void {
  registerRmsNormKernels();
  registerSwigluKernels();
  registerRopeKernel();
  registerDropoutKernel();
  registerMaskedSoftmaxKernels();
  registerAdamWKernel();
  registerLoraMatMulKernel();
}

/** The engine's attention with the fused masked softmax (its matmuls stay tfjs's). */
function webgpuAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, bias: tf.Tensor, shape: AttentionShape): tf.Tensor {
  return attentionWithSoftmax(webgpuMaskedSoftmax, q, k, v, bias, shape);
}

/** The ops that have fused webgpu kernels; pass to replaceTrainingOps while the webgpu backend is current. */
export function webgpuTrainingOps(): Partial<TrainingOps> {
  return {
    rmsNorm: webgpuRmsNorm,
    swiglu: webgpuSwiglu,
    applyRope: webgpuApplyRope,
    dropout: webgpuDropout,
    maskedSoftmax: webgpuMaskedSoftmax,
    attention: webgpuAttention,
  };
}
