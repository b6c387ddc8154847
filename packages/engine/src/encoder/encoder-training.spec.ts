import assert from 'node:assert/strict';
import { fixturePath } from '@lookright/test-support/fixtures';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../testing/test-backend.js';
import type { EncoderModel } from './encoder-model.js';
import { loadEncoder } from './load-encoder.js';

describe('full fine-tuning of an encoder (every weight trainable)', function () {
  this.timeout(300_000);
  let model: EncoderModel;
  before(async function () {
    await useTestBackend();
    model = (await loadEncoder(fixturePath(this, 'hf-tiny', 'roberta-tiny'))).model;
  });
  after(() => model?.dispose());

  it('gives every parameter a gradient, lowers the loss, and keeps the live tensor count constant', () => {
    const trainable = model.setTrainable(() => true);
    assert.equal(trainable.size, model.namedParameters().size);
    assert.ok(trainable.has('embeddings.position_embeddings.weight'));
    assert.ok(trainable.has('encoder.layer.1.output.LayerNorm.bias'));
    const ids = tf.tensor2d(
      [
        [0, 17, 33, 9, 41, 2],
        [0, 50, 8, 2, 1, 1],
      ],
      [2, 6],
      'int32',
    );
    const mask = tf.tensor2d(
      [
        [1, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 0, 0],
      ],
      [2, 6],
      'int32',
    );
    const target = tf.randomNormal([2, 6, 64], 0, 1, 'float32', 21);
    const loss = (training: boolean, seed: number) =>
      tf.mean(
        tf.square(
          tf.sub(model.forward(ids, mask, null, { training, seed, outputPooler: true }).lastHiddenState, target),
        ),
      ) as tf.Scalar;
    const first = tf.tidy(() => loss(false, 0).dataSync()[0]);
    let live = 0;
    for (let step = 0; step < 5; step++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => loss(true, step));
        const names = Object.keys(grads);
        // the pooler is not on the loss's path; every other weight is
        const pooler = [...trainable.values()].filter((v) => v.name.startsWith('pooler.')).map((v) => v.name);
        assert.equal(names.length, trainable.size - pooler.length);
        for (const v of trainable.values()) if (grads[v.name]) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.02)));
      });
      if (step === 0) live = tf.memory().numTensors;
      else assert.equal(tf.memory().numTensors, live, `live tensors constant at step ${step}`);
    }
    const last = tf.tidy(() => loss(false, 0).dataSync()[0]);
    assert.ok(last < first, `loss ${first} -> ${last}`);
    tf.dispose([ids, mask, target]);
  });
});
