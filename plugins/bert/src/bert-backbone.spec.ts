import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { bidirectional, causal, loadRegistry, type PluginContext } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { dataPath, fixturePath } from '@lookright/test-support/fixtures';
import { type BertBackbone, bertBackbone } from './bert-backbone.js';
import { ENCODER_MASK_REASON } from './check-encoder-masks.js';

const ctx = (baseDir = process.cwd()): PluginContext => ({ baseDir, env: process.env, log: () => {} });

describe('backbone:bert', () => {
  it('resolves a RoBERTa folder (relative to the suite folder) and reports an encoder and its layers', async function () {
    const dir = fixturePath(this, 'hf-tiny', 'roberta-tiny');
    const backbone = (await bertBackbone.create({ model: 'roberta-tiny' }, ctx(dirname(dir)))) as BertBackbone;
    assert.equal(backbone.architecture, 'encoder');
    assert.equal(backbone.modelDir, dir);
    assert.equal(backbone.numLayers, 2);
    assert.equal(backbone.config.positionIds, 'after-padding');
    assert.equal(backbone.config.padTokenId, 1);
  });

  it('accepts only bidirectional layers, and says why otherwise', async function () {
    const backbone = (await bertBackbone.create(
      { model: fixturePath(this, 'hf-tiny', 'bert-tiny') },
      ctx(),
    )) as BertBackbone;
    assert.equal(backbone.checkMasks([bidirectional, bidirectional]), null);
    const reason = backbone.checkMasks([causal, bidirectional]);
    assert.ok(reason?.startsWith(ENCODER_MASK_REASON), String(reason));
    assert.match(reason ?? '', /layer 0 causal/);
    assert.match(
      backbone.checkMasks([{ kind: 'window', left: 1, right: 1 }, causal]) ?? '',
      /layer 0 window, 1 causal/,
    );
  });

  it('loads the tensor model of a checkpoint with a bert. prefix (lmbuddy_bert_tiniest)', async function () {
    const dir = dataPath(this, 'tiny_checkpoints', 'lmbuddy_bert_tiniest');
    await tf.setBackend('cpu');
    const lines: string[] = [];
    const backbone = (await bertBackbone.create(
      { model: dir },
      { ...ctx(), log: (l) => lines.push(l) },
    )) as BertBackbone;
    const model = await backbone.load();
    const ids = tf.tensor2d([[101, 7592, 102]], [1, 3], 'int32');
    const mask = tf.onesLike(ids) as tf.Tensor2D;
    const out = model.forward(ids, mask, [bidirectional]);
    assert.deepEqual(out.lastHiddenState.shape, [1, 3, 4]);
    assert.ok(
      lines.some((l) => /task-head tensor/.test(l)),
      'the dropped cls.* head is logged',
    );
    tf.dispose([ids, mask, out.lastHiddenState]);
    model.dispose();
  });

  it('loads for token-level fine-tuning: no pooler, so every trainable weight is on the loss path', async function () {
    await tf.setBackend('cpu');
    const backbone = (await bertBackbone.create(
      { model: fixturePath(this, 'hf-tiny', 'bert-tiny') },
      ctx(),
    )) as BertBackbone;
    const model = await backbone.load();
    assert.equal(model.hasPooler, false);
    assert.ok([...model.namedParameters().keys()].every((n) => !n.startsWith('pooler.')));
    model.dispose();
  });

  it('refuses a decoder checkpoint, naming its config.json', async function () {
    const dir = fixturePath(this, 'hf-tiny', 'llama-tiny');
    await assert.rejects(
      (async () => bertBackbone.create({ model: dir }, ctx()))(),
      (e: Error & { code?: string }) =>
        e.code === 'ENCODER_CONFIG_UNSUPPORTED' &&
        e.message.includes(`${dir}/config.json`) &&
        /model_type/.test(e.message),
    );
  });

  it('is found by the plugin registry next to backbone:llama', async () => {
    const registry = await loadRegistry({ baseDir: process.cwd() });
    const found = registry.get('backbone:bert');
    assert.equal(found.origin.packageName, '@lookright/plugin-bert');
    assert.equal(found.descriptor.kind, 'backbone');
    assert.equal(registry.get('backbone:llama').descriptor.kind, 'backbone');
  });
});
