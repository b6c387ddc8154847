import * as tf from '@tensorflow/tfjs-core';
import { seededDropout, trainingOps } from '../ops/index.js';
import type { LinearParams } from './linear-params.js';

/** Dropout randomness for one forward pass: deterministic given the seed. */
export interface DropoutContext {
  training: boolean;
  /** Next seed to use; each dropout call takes one. */
  nextSeed: () => number;
}

/**
 * One nn.Linear with an optional LoRA adapter: x @ kernel + bias + scaling * dropout(x) @ a @ b. The base kernel
 * is never copied; only tf.Variables marked trainable receive gradients.
 */
export function project(x: tf.Tensor, p: LinearParams, dropout: DropoutContext): tf.Tensor {
  const { linear } = trainingOps();
  const base = linear(x, p.kernel, p.bias);
  if (!p.lora) return base;
  const { a, b, scaling, dropout: rate } = p.lora;
  const input = dropout.training && rate > 0 ? seededDropout(x, rate, dropout.nextSeed()) : x;
  return tf.add(base, tf.mul(linear(linear(input, a), b), scaling));
}
