import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpuBackend } from '../testing/use-cpu-backend.js';
import { StepReadback } from './step-readback.js';

const step = (n: number, losses: number[], gradNorm: number) => ({
  step: n,
  losses: losses.map((l) => tf.scalar(l)),
  gradNorm: tf.scalar(gradNorm),
  lr: 0.1,
  tokens: 10,
  seconds: 0.5,
});

describe('StepReadback', () => {
  before(useCpuBackend);

  it('reads pending steps back in one go: mean micro-batch loss, gradient norm, nothing left behind', async () => {
    const before = tf.memory().numTensors;
    const readback = new StepReadback();
    readback.push(step(1, [2, 4], 1.5));
    readback.push(step(2, [1], 0.25));
    assert.equal(readback.size, 2);
    const records = await readback.take();
    assert.deepEqual(records, [
      { step: 1, loss: 3, lr: 0.1, gradNorm: 1.5, tokens: 10, seconds: 0.5 },
      { step: 2, loss: 1, lr: 0.1, gradNorm: 0.25, tokens: 10, seconds: 0.5 },
    ]);
    assert.equal(readback.size, 0);
    assert.deepEqual(await readback.take(), []);
    assert.equal(tf.memory().numTensors, before);
  });

  it('stops at the first step with a NaN or infinite loss, or an infinite gradient norm', async () => {
    const before = tf.memory().numTensors;
    const nanLoss = new StepReadback();
    nanLoss.push(step(7, [1], 1));
    nanLoss.push(step(8, [1, Number.NaN], 1));
    nanLoss.push(step(9, [Number.POSITIVE_INFINITY], 1));
    await assert.rejects(nanLoss.take(), {
      code: 'TRAIN_NON_FINITE_LOSS',
      message: /loss became NaN at optimiser step 8/,
    });
    const badNorm = new StepReadback();
    badNorm.push(step(3, [1], Number.POSITIVE_INFINITY));
    await assert.rejects(badNorm.take(), {
      code: 'TRAIN_NON_FINITE_GRADIENT',
      message: /Infinity at optimiser step 3/,
    });
    assert.equal(tf.memory().numTensors, before, 'the tensors of a failed read are disposed');
  });

  it('disposes steps never read', () => {
    const before = tf.memory().numTensors;
    const readback = new StepReadback();
    readback.push(step(1, [1, 2], 3));
    readback.dispose();
    assert.equal(tf.memory().numTensors, before);
  });
});
