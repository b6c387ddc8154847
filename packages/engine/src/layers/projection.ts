import * as tf from '@tensorflow/tfjs-core';
import { deviceScalar } from '../ops/device-scalar.js';
import { trainingOps } from '../ops/index.js';
import { linear16 } from '../ops/linear-16.js';
import { isPackedKernel } from '../ops/packed-kernel.js';
import type { LinearParams } from './linear-params.js';

/** Dropout randomness for one forward pass: deterministic given the seed. */
export interface DropoutContext {
  training: boolean;
  /** Next seed to use; each dropout call takes one. */
  nextSeed: () => number;
}

/**
 * One nn.Linear with an optional LoRA adapter: x @ kernel + bias + scaling * dropout(x) @ a @ b. The base kernel
 * is never copied; only tf.Variables marked trainable receive gradients. A base kernel held in 16 bits goes through
 * linear16.
 */
export function project(x: tf.Tensor, p: LinearParams, dropout: DropoutContext): tf.Tensor {
  const { linear, dropout: drop } = trainingOps();
  const base = isPackedKernel(p.kernel) ? linear16(x, p.kernel, p.bias) : linear(x, p.kernel, p.bias);
  if (!p.lora) return base;
  const { a, b, scaling, dropout: rate } = p.lora;
  const input = dropout.training && rate > 0 ? drop(x, rate, dropout.nextSeed()) : x;
  return tf.add(base, tf.mul(linear(linear(input, a), b), deviceScalar(scaling)));
}
