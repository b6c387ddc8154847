import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { bidirectional, causal, type PluginContext } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { fixturePath } from '@lookright/test-support/fixtures';
import { type LlamaBackbone, llamaBackbone } from './llama-backbone.js';

const ctx = (baseDir = process.cwd()): PluginContext => ({ baseDir, env: process.env, log: () => {} });

describe('backbone:llama', () => {
  it('resolves a checkpoint folder (relative to the suite folder) and reports its layers', async function () {
    const dir = fixturePath(this, 'hf-tiny', 'mistral-tiny');
    const backbone = (await llamaBackbone.create({ model: 'mistral-tiny' }, ctx(dirname(dir)))) as LlamaBackbone;
    assert.equal(backbone.architecture, 'decoder');
    assert.equal(backbone.modelDir, dir);
    assert.equal(backbone.numLayers, 4);
    assert.equal(backbone.config.slidingWindow, 8);
    assert.equal(backbone.checkMasks([causal, bidirectional, causal, bidirectional]), null);
  });

  it('loads the tensor model', async function () {
    const dir = fixturePath(this, 'hf-tiny', 'llama-tiny');
    await tf.setBackend('cpu');
    const backbone = (await llamaBackbone.create({ model: dir }, ctx())) as LlamaBackbone;
    const model = await backbone.load();
    const ids = tf.tensor2d([[1, 5, 7]], [1, 3], 'int32');
    const mask = tf.onesLike(ids) as tf.Tensor2D;
    const out = model.forward(ids, mask, [causal, causal, causal, causal]);
    assert.deepEqual(out.lastHiddenState.shape, [1, 3, 64]);
    tf.dispose([ids, mask, out.lastHiddenState]);
    model.dispose();
  });

  it('refuses an encoder checkpoint, naming its config.json', async function () {
    const dir = fixturePath(this, 'hf-tiny', 'bert-tiny');
    await assert.rejects(
      async () => llamaBackbone.create({ model: dir }, ctx()),
      (e: Error & { code?: string }) =>
        e.code === 'MODEL_CONFIG_UNSUPPORTED' &&
        e.message.includes(`${dir}/config.json`) &&
        /model_type/.test(e.message),
    );
  });

  it('refuses a path that is neither a folder nor a repo id', async () => {
    await assert.rejects(
      async () => llamaBackbone.create({ model: './no/such/folder' }, ctx()),
      (e: Error & { code?: string }) => e.code === 'MODEL_SOURCE_NOT_FOUND',
    );
  });
});
