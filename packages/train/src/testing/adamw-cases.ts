/**
 * Test cases shared by the AdamW specs (adamw-fused.spec.ts: native kernels, adamw-webgpu.spec.ts: the WGSL
 * kernel): parameter shapes, gradients spread over several orders of magnitude, and a few optimiser settings.
 */
import { SeededRng } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import { AdamW, type AdamWConfig } from '../optim/adamw.js';
import { optimiserStep } from '../optim/optimiser-step.js';

/** Shapes of one run's parameters: matrices (decayed), a 3-D tensor (decayed), vectors and a scalar-like bias. */
export const ADAMW_SHAPES = [[37, 53], [8, 3, 5], [300], [1], [64, 129]];
export const ADAMW_STEPS = 5;

/** Deterministic values spread over several orders of magnitude (so rounding differences would show). */
function values(n: number, seed: number, scale: number): Float32Array {
  const rng = new SeededRng(seed);
  return Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale * 10 ** (rng.nextInt(5) - 2));
}

/** Gradients of step `t`; `poison` puts a NaN, +Inf and -Inf into the first parameter's gradient at step 3. */
function gradsAt(t: number, poison: boolean): tf.Tensor[] {
  return ADAMW_SHAPES.map((shape, i) => {
    const data = values(
      shape.reduce((a, b) => a * b, 1),
      1000 * t + i,
      1,
    );
    if (poison && t === 3 && i === 0) data.set([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], 5);
    return tf.tensor(data, shape);
  });
}

export interface RunResult {
  /** Every parameter and moment after the last step, as raw float32 bits (NaN payloads included). */
  bits: Uint32Array[];
  /** Whether the first parameter kept its buffer (an in-place update: the fused path on an allowed backend). */
  keptBuffer: boolean;
}

/** ADAMW_STEPS optimiser steps through the trainer's optimiserStep (clipping factor applied inside AdamW.apply). */
export async function trainAdamW(config: AdamWConfig, clipNorm: number | null, poison: boolean): Promise<RunResult> {
  const params = ADAMW_SHAPES.map((shape, i) => {
    const init = tf.tensor(
      values(
        shape.reduce((a, b) => a * b, 1),
        7 + i,
        0.5,
      ),
      shape,
    );
    const v = tf.variable(init);
    init.dispose();
    return v;
  });
  const firstBuffer = params[0].dataId;
  const opt = new AdamW(params, config);
  for (let t = 1; t <= ADAMW_STEPS; t++) optimiserStep(opt, gradsAt(t, poison), clipNorm, 1e-3 * t).dispose();
  const moments = (await opt.getState()).moments.flatMap(({ m, v }) => [m, v]);
  const weights = await Promise.all(params.map(async (p) => Float32Array.from(await p.data())));
  const bits = [...weights, ...moments].map((a) => new Uint32Array(Float32Array.from(a).buffer));
  const keptBuffer = params[0].dataId === firstBuffer;
  opt.dispose();
  tf.dispose(params);
  return { bits, keptBuffer };
}

export const ADAMW_CASES: { name: string; config: AdamWConfig; clipNorm: number | null; poison: boolean }[] = [
  {
    name: 'weight decay 0.1, clipping at 1',
    config: { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.1 },
    clipNorm: 1,
    poison: false,
  },
  {
    name: 'no weight decay, no clipping',
    config: { betas: [0.9, 0.95], eps: 1e-5, weightDecay: 0 },
    clipNorm: null,
    poison: false,
  },
  {
    name: 'clipping inactive (norm below 1e6)',
    config: { betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.01 },
    clipNorm: 1e6,
    poison: false,
  },
  {
    name: 'NaN and Inf in a gradient',
    config: { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.1 },
    clipNorm: null,
    poison: true,
  },
];
