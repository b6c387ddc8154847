import assert from 'node:assert/strict';
import { SeededRng } from '@lookright/core';
import { replaceTrainingOps, seededDropout } from '@lookright/engine';
import { useCpuBackend } from '@lookright/engine/testing';
import * as tf from '@tensorflow/tfjs-core';
import { EmissionLayer } from './emission-layer.js';

describe('EmissionLayer dropout', () => {
  before(useCpuBackend);

  it("draws its mask through the active hostMaskDropout (native's C kernel when enabled), not the backend's dropout", () => {
    const layer = new EmissionLayer(8, 3, 0.25, new SeededRng(4));
    const hidden = tf.tensor3d(
      Array.from({ length: 2 * 5 * 8 }, (_, i) => Math.sin(i) + 0.1),
      [2, 5, 8],
    );
    const calls: { rate: number; seed: number }[] = [];
    const restore = replaceTrainingOps({
      // a webgpu-like dropout with another mask: the head must not use it
      dropout: () => {
        throw new Error('the head used the backend dropout');
      },
      hostMaskDropout: (x, rate, seed) => {
        calls.push({ rate, seed });
        return seededDropout(x, rate, seed);
      },
    });
    try {
      const scores = layer.apply(hidden, 11);
      const noDropout = layer.apply(hidden, null);
      assert.deepEqual(calls, [{ rate: 0.25, seed: 11 }], 'one masked dropout with the layer rate and the step seed');
      const expected = tf.add(tf.matMul(seededDropout(hidden, 0.25, 11).reshape([10, 8]), layer.weight), layer.bias);
      assert.deepEqual(scores.reshape([10, 3]).dataSync(), expected.dataSync(), 'scores from the masked hidden');
      assert.notDeepEqual(noDropout.dataSync(), scores.dataSync(), 'the mask changed the scores');
    } finally {
      restore();
      layer.dispose();
    }
  });
});
