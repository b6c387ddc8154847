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

  it("early exit: layers N keeps the first N layers, whose outputs are the full model's", async function () {
    const dir = fixturePath(this, 'hf-tiny', 'llama-tiny');
    await tf.setBackend('cpu');
    const full = await ((await llamaBackbone.create({ model: dir }, ctx())) as LlamaBackbone).load();
    const cut = (await llamaBackbone.create({ model: dir, layers: 2 }, ctx())) as LlamaBackbone;
    assert.equal(cut.numLayers, 2, 'masks are asked for 2 layers');
    const model = await cut.load();
    assert.equal(model.numLayers, 2);
    assert.equal(model.params.layers.length, 2);
    const ids = tf.tensor2d([[1, 5, 7, 9]], [1, 4], 'int32');
    const mask = tf.onesLike(ids) as tf.Tensor2D;
    const a = full.forward(ids, mask, [causal, bidirectional, causal, causal], { outputLayers: true });
    const b = model.forward(ids, mask, [causal, bidirectional], { outputLayers: true });
    assert.equal(b.layerOutputs.length, 2);
    for (let i = 0; i < 2; i++)
      assert.deepEqual(await b.layerOutputs[i].array(), await a.layerOutputs[i].array(), `layer ${i} output`);
    assert.throws(() => model.forward(ids, mask, [causal, causal, causal, causal]), /mask spec|layer/i);
    tf.dispose([ids, mask, a.lastHiddenState, b.lastHiddenState, ...a.layerOutputs, ...b.layerOutputs]);
    if (a.embeddings) a.embeddings.dispose();
    if (b.embeddings) b.embeddings.dispose();
    full.dispose();
    model.dispose();
  });

  it('refuses an early exit deeper than the model, naming the param and what fits', async function () {
    const dir = fixturePath(this, 'hf-tiny', 'llama-tiny');
    await assert.rejects(
      async () => llamaBackbone.create({ model: dir, layers: 5 }, ctx()),
      (e: Error & { code?: string }) =>
        e.code === 'LLAMA_LAYERS_ABOVE_MODEL' && /params.layers = 5/.test(e.message) && /only 4 layers/.test(e.message),
    );
    const config = { hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 32 };
    await assert.rejects(
      async () => llamaBackbone.create({ config, layers: 3 }, ctx()),
      (e: Error & { code?: string }) => e.code === 'LLAMA_LAYERS_ABOVE_MODEL',
    );
    const made = await llamaBackbone.create({ config: { ...config, num_hidden_layers: 4 }, layers: 3 }, ctx());
    assert.equal(made.numLayers, 3);
  });

  it('pre-trained by its own cell (pretrain: clm): layers from the size, early exit applies, mlm refused', async () => {
    const pretrain = { objective: 'clm', corpus: '/data/gutenberg_nltk', size: 'micro' } as const;
    const made = await llamaBackbone.create({ pretrain }, ctx());
    assert.equal(made.numLayers, 2);
    assert.equal((await llamaBackbone.create({ pretrain, layers: 1 }, ctx())).numLayers, 1);
    await assert.rejects(
      async () => llamaBackbone.create({ pretrain, layers: 3 }, ctx()),
      (e: Error & { code?: string }) => e.code === 'LLAMA_LAYERS_ABOVE_MODEL',
    );
    await assert.rejects(
      async () => llamaBackbone.create({ pretrain: { ...pretrain, objective: 'mlm' } }, ctx()),
      (e: Error & { code?: string }) =>
        e.code === 'MODEL_PRETRAIN_OBJECTIVE' && /pretrain\.objective mlm/.test(e.message),
    );
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
