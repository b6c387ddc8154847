import assert from 'node:assert/strict';
import { SeededRng } from '@lookright/core';
import { nativeBackends, requireAddon, useNativeBackend, useStockBackend } from '@lookright/native/testing';
import * as tf from '@tensorflow/tfjs-core';
import { AdamW, type AdamWConfig } from './adamw.js';
import { optimiserStep } from './optimiser-step.js';

/** Shapes of one run's parameters: matrices (decayed), a 3-D tensor (decayed), vectors and a scalar-like bias. */
const SHAPES = [[37, 53], [8, 3, 5], [300], [1], [64, 129]];
const STEPS = 5;

/** Deterministic values spread over several orders of magnitude (so rounding differences would show). */
function values(n: number, seed: number, scale: number): Float32Array {
  const rng = new SeededRng(seed);
  return Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale * 10 ** (rng.nextInt(5) - 2));
}

/** Gradients of step `t`; `poison` puts a NaN, +Inf and -Inf into the first parameter's gradient at step 3. */
function gradsAt(t: number, poison: boolean): tf.Tensor[] {
  return SHAPES.map((shape, i) => {
    const data = values(
      shape.reduce((a, b) => a * b, 1),
      1000 * t + i,
      1,
    );
    if (poison && t === 3 && i === 0) data.set([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], 5);
    return tf.tensor(data, shape);
  });
}

interface RunResult {
  /** Every parameter and moment after the last step, as raw float32 bits (NaN payloads included). */
  bits: Uint32Array[];
  /** Whether the first parameter kept its buffer (an in-place update: the fused path on an allowed backend). */
  keptBuffer: boolean;
}

/** STEPS optimiser steps through the trainer's optimiserStep (clipping factor applied inside AdamW.apply). */
async function train(config: AdamWConfig, clipNorm: number | null, poison: boolean): Promise<RunResult> {
  const params = SHAPES.map((shape, i) => {
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
  for (let t = 1; t <= STEPS; t++) optimiserStep(opt, gradsAt(t, poison), clipNorm, 1e-3 * t).dispose();
  const moments = (await opt.getState()).moments.flatMap(({ m, v }) => [m, v]);
  const weights = params.map((p) => Float32Array.from(p.dataSync()));
  const bits = [...weights, ...moments].map((a) => new Uint32Array(Float32Array.from(a).buffer));
  const keptBuffer = params[0].dataId === firstBuffer;
  opt.dispose();
  tf.dispose(params);
  return { bits, keptBuffer };
}

const CASES: { name: string; config: AdamWConfig; clipNorm: number | null; poison: boolean }[] = [
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

for (const backend of nativeBackends) {
  describe(`the trainer's AdamW with native kernels on ${backend}`, () => {
    beforeEach(function () {
      requireAddon(this);
    });
    after(() => useStockBackend(backend));

    for (const { name, config, clipNorm, poison } of CASES) {
      for (const matmul of [true, false]) {
        const path = matmul ? 'in place (BLAS matmul on)' : 'into fresh buffers (tfjs matmul)';
        it(`is bit-identical to its tfjs ops over ${STEPS} steps: ${name}, ${path}`, async () => {
          await useStockBackend(backend);
          const expected = await train(config, clipNorm, poison);
          assert.equal(expected.keptBuffer, false, 'the tfjs path assigns new buffers');
          await useNativeBackend(backend, matmul);
          const actual = await train(config, clipNorm, poison);
          assert.equal(actual.keptBuffer, backend === 'cpu' || matmul, 'the fused update did not run in place');
          actual.bits.forEach((a, i) => {
            const diff = a.findIndex((x, j) => x !== expected.bits[i][j]);
            assert.equal(diff, -1, `tensor ${i} differs at element ${diff}`);
          });
          if (poison) {
            const first = new Float32Array(actual.bits[0].buffer);
            assert.ok(first.slice(5, 8).every(Number.isNaN), 'NaN/Inf gradients did not make their weights NaN');
            assert.ok(Number.isFinite(first[0]), 'a finite gradient gave a non-finite weight');
          }
        });
      }
    }
  });
}
