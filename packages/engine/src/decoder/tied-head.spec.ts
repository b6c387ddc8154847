import assert from 'node:assert/strict';
import { causal } from '@lookright/core';
import { dataPath } from '@lookright/test-support/fixtures';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../testing/test-backend.js';
import type { DecoderModel } from './decoder-model.js';
import { loadDecoder } from './load-decoder.js';

describe('tied LM head (stories260K)', function () {
  this.timeout(120_000);
  let model: DecoderModel;
  before(async function () {
    await useTestBackend();
    model = (await loadDecoder(dataPath(this, 'tiny_checkpoints', 'stories260K_hf'))).model;
  });
  after(() => model?.dispose());

  it('sends the head gradient into the embedding table, also to rows of tokens not in the input', () => {
    assert.equal(model.params.lmHead, undefined);
    const vars = model.setTrainable((name) => name === 'embed_tokens.weight');
    const table = vars.get('embed_tokens.weight')!;
    const ids = tf.tensor2d([[1, 403, 407]], [1, 3], 'int32');
    const mask = tf.onesLike(ids) as tf.Tensor2D;
    const specs = Array.from({ length: model.numLayers }, () => causal);
    const rows = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const logits = model.forward(ids, mask, specs, { outputLogits: true }).logits!;
        return tf.sum(tf.mul(logits, tf.randomNormal(logits.shape, 0, 1, 'float32', 9))) as tf.Scalar;
      }, [table]);
      return tf.sum(tf.abs(grads[table.name]), 1).arraySync() as number[];
    });
    assert.equal(rows.length, 512);
    assert.ok(rows[2] > 0 && rows[500] > 0, 'rows of tokens absent from the input get the head gradient');
    tf.dispose([ids, mask]);
  });
});
