import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPath, fixturePath } from '@lookright/test-support/fixtures';
import * as tf from '@tensorflow/tfjs-core';
import { readSafetensors } from '../io/safetensors-read.js';
import { writeSafetensors } from '../io/safetensors-write.js';
import { useTestBackend } from '../testing/test-backend.js';
import { parseEncoderConfig } from './encoder-config.js';
import { loadEncoder } from './load-encoder.js';

type Code = Error & { code?: string };

/** A copy of a checkpoint folder whose tensor names pass through `rename` (undefined drops the tensor). */
function renamedCopy(src: string, rename: (name: string) => string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'lookright-encoder-'));
  copyFileSync(join(src, 'config.json'), join(dir, 'config.json'));
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, t] of readSafetensors(join(src, 'model.safetensors'))) {
    const to = rename(name);
    if (to) tensors.set(to, { shape: t.shape, data: t.data as Float32Array });
  }
  writeSafetensors(join(dir, 'model.safetensors'), tensors);
  return dir;
}

function lastHidden(dir: string): Promise<Float32Array> {
  return loadEncoder(dir).then(({ model }) => {
    const ids = tf.tensor2d([[2, 40, 7, 9]], [1, 4], 'int32');
    const mask = tf.onesLike(ids) as tf.Tensor2D;
    const out = model.forward(ids, mask);
    const data = out.lastHiddenState.dataSync() as Float32Array;
    tf.dispose([ids, mask, out.lastHiddenState]);
    model.dispose();
    return data;
  });
}

describe('encoder weights and config', function () {
  this.timeout(120_000);
  const temps: string[] = [];
  before(async () => {
    await useTestBackend();
  });
  after(() => {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  });

  it('loads lmbuddy_bert_tiniest (bert. prefix, BertLMHeadModel) and reports the dropped cls.* head', async function () {
    const dir = dataPath(this, 'tiny_checkpoints', 'lmbuddy_bert_tiniest');
    const notices: string[] = [];
    const loaded = await loadEncoder(dir, { onNotice: (l) => notices.push(l) });
    assert.equal(loaded.prefix, 'bert.');
    assert.equal(loaded.model.numLayers, 1);
    assert.equal(loaded.model.config.hiddenSize, 4);
    assert.equal(loaded.model.hasPooler, false);
    assert.ok(loaded.droppedHeadTensors.length > 0);
    assert.ok(loaded.droppedHeadTensors.every((n) => n.startsWith('cls.')));
    assert.ok(notices.some((n) => n.includes('cls.predictions.bias')));
    const ids = tf.tensor2d([[101, 7592, 2088, 102]], [1, 4], 'int32');
    const out = loaded.model.forward(ids, tf.onesLike(ids) as tf.Tensor2D);
    assert.deepEqual(out.lastHiddenState.shape, [1, 4, 4]);
    assert.ok(Array.from(out.lastHiddenState.dataSync()).every(Number.isFinite));
    tf.dispose([ids, out.lastHiddenState]);
    loaded.model.dispose();
  });

  it('loads the same weights with a bert. prefix (plus a classifier head) or as LayerNorm gamma/beta', async function () {
    const src = fixturePath(this, 'hf-tiny', 'bert-tiny');
    const plain = await lastHidden(src);
    const prefixed = renamedCopy(src, (n) => `bert.${n}`);
    const head = readSafetensors(join(prefixed, 'model.safetensors'));
    const withHead = new Map([...head].map(([k, t]) => [k, { shape: t.shape, data: t.data as Float32Array }]));
    withHead.set('classifier.weight', { shape: [3, 64], data: new Float32Array(192) });
    writeSafetensors(join(prefixed, 'model.safetensors'), withHead);
    const gammaBeta = renamedCopy(src, (n) =>
      n.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta'),
    );
    temps.push(prefixed, gammaBeta);
    assert.deepEqual(await lastHidden(prefixed), plain);
    assert.deepEqual(await lastHidden(gammaBeta), plain);
  });

  it('refuses a missing tensor and a misspelled one, listing the expected names with the prefix found', async function () {
    const src = fixturePath(this, 'hf-tiny', 'roberta-tiny');
    const dir = renamedCopy(src, (n) =>
      n === 'encoder.layer.1.attention.self.value.bias'
        ? undefined
        : `roberta.${n.replace('encoder.layer.0.attention.self.query.', 'encoder.layer.0.attention.self.q.')}`,
    );
    temps.push(dir);
    await assert.rejects(loadEncoder(dir), (e: Code & { hint?: string }) => {
      assert.equal(e.code, 'CHECKPOINT_TENSOR_NAMES');
      assert.match(e.message, /missing: .*roberta\.encoder\.layer\.0\.attention\.self\.query\.bias/);
      assert.match(e.message, /roberta\.encoder\.layer\.1\.attention\.self\.value\.bias/);
      assert.match(e.message, /unexpected: .*roberta\.encoder\.layer\.0\.attention\.self\.q\.bias/);
      assert.match(e.hint ?? '', /roberta\.encoder\.layer\.\{0\.\.1\}\.attention\.self\.key\.weight/);
      assert.ok(e.message.includes(dir));
      return true;
    });
  });

  it('refuses half a pooler', async function () {
    const dir = renamedCopy(fixturePath(this, 'hf-tiny', 'bert-tiny'), (n) =>
      n === 'pooler.dense.bias' ? undefined : n,
    );
    temps.push(dir);
    await assert.rejects(
      loadEncoder(dir),
      (e: Code) => e.code === 'CHECKPOINT_TENSOR_NAMES' && /pooler\.dense\.bias/.test(e.message),
    );
  });

  it('refuses sequences longer than the position table (RoBERTa counts from pad + 1)', async function () {
    const { model } = await loadEncoder(fixturePath(this, 'hf-tiny', 'roberta-tiny'));
    const run = (len: number) => {
      const ids = tf.fill([1, len], 7, 'int32') as tf.Tensor2D;
      const mask = tf.onesLike(ids) as tf.Tensor2D;
      try {
        model.forward(ids, mask).lastHiddenState.dispose();
      } finally {
        tf.dispose([ids, mask]);
      }
    };
    run(64); // positions 2..65 of 66
    assert.throws(
      () => run(65),
      (e: Code) =>
        e.code === 'ENCODER_POSITIONS_EXCEEDED' &&
        /position id 66/.test(e.message) &&
        /max_position_embeddings 66/.test(e.message),
    );
    model.dispose();
  });

  it('refuses configs it cannot run, naming the file and key', function () {
    const raw = JSON.parse(readFileSync(join(fixturePath(this, 'hf-tiny', 'bert-tiny'), 'config.json'), 'utf8'));
    const bad = (patch: Record<string, unknown>, key: RegExp) =>
      assert.throws(
        () => parseEncoderConfig({ ...raw, ...patch }, '/x/config.json'),
        (e: Code) =>
          e.code === 'ENCODER_CONFIG_UNSUPPORTED' && key.test(e.message) && e.message.includes('/x/config.json'),
      );
    bad({ hidden_act: 'gelu_new' }, /hidden_act/);
    bad({ position_embedding_type: 'relative_key' }, /position_embedding_type/);
    bad({ model_type: 'llama' }, /model_type/);
    bad({ num_attention_heads: 5 }, /num_attention_heads/);
    bad({ is_decoder: true }, /is_decoder/);
    bad({ hidden_dropout_prob: 1 }, /hidden_dropout_prob/);
    const cfg = parseEncoderConfig(raw, 'config.json');
    assert.equal(cfg.positionIds, 'arange');
  });
});
