import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { causal } from '@lookright/core';
import { loadDecoder, loadEncoder, readSafetensors } from '@lookright/engine';
import { dataPath } from '@lookright/test-support/fixtures';
import { loadWordTokenizer } from '@lookright/text';
import * as tf from '@tensorflow/tfjs-core';
import { MlmHead } from './mlm-head.js';
import { defaultPretrainConfig, type PretrainResult, pretrain } from './pretrain.js';

/** Logits of a reloaded checkpoint on the probe windows: the first 64 values, as the run recorded them. */
async function reloadedLogits(dir: string, objective: 'clm' | 'mlm', windows: number[][]): Promise<number[]> {
  const ids = tf.tensor2d(windows, undefined, 'int32');
  const mask = tf.onesLike(ids) as tf.Tensor2D;
  let logits: tf.Tensor;
  if (objective === 'clm') {
    const { model } = await loadDecoder(dir);
    logits = tf.tidy(
      () =>
        model.forward(ids, mask, new Array(model.numLayers).fill(causal), { outputLogits: true }).logits as tf.Tensor,
    );
    model.dispose();
  } else {
    const { model } = await loadEncoder(dir);
    const stored = new Map(
      [...readSafetensors(join(dir, 'model.safetensors'))].map(([n, t]) => [
        n,
        { shape: t.shape, data: Float32Array.from(t.data as ArrayLike<number>) },
      ]),
    );
    const head = new MlmHead(stored, 1e-12);
    logits = tf.tidy(() => head.logits(model.forward(ids, mask).lastHiddenState, model));
    head.dispose();
    model.dispose();
  }
  const values = Array.from(logits.dataSync().subarray(0, 64));
  tf.dispose([ids, mask, logits]);
  return values;
}

describe('pretrain from scratch on Gutenberg: CLM decoder and MLM encoder of equal size', function () {
  this.timeout(10 * 60_000);
  const results: Partial<Record<'clm' | 'mlm', PretrainResult>> = {};
  let root: string;

  before(async function () {
    const dataDir = dataPath(this, 'gutenberg_nltk');
    root = mkdtempSync(join(tmpdir(), 'lookright-pretrain-'));
    for (const objective of ['clm', 'mlm'] as const) {
      results[objective] = await pretrain(
        {
          ...defaultPretrainConfig,
          objective,
          size: 'micro',
          steps: 60,
          maxChars: 300_000,
          dataDir,
          output: join(root, objective),
        },
        () => {},
      );
    }
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  for (const objective of ['clm', 'mlm'] as const) {
    it(`${objective}: the validation loss falls and the training loss curve goes down`, () => {
      const r = results[objective] as PretrainResult;
      const mean = (xs: { loss: number }[]) => xs.reduce((a, x) => a + x.loss, 0) / xs.length;
      assert.ok(r.validationLoss.after < r.validationLoss.before - 0.2, JSON.stringify(r.validationLoss));
      assert.ok(mean(r.losses.slice(-10)) < mean(r.losses.slice(0, 10)));
    });

    it(`${objective}: writes an HF checkpoint that lookright loads back to the same outputs`, async () => {
      const r = results[objective] as PretrainResult;
      const config = JSON.parse(readFileSync(join(r.output, 'config.json'), 'utf8'));
      assert.equal(config.model_type, objective === 'clm' ? 'llama' : 'bert');
      assert.deepEqual(config.architectures, [objective === 'clm' ? 'LlamaForCausalLM' : 'BertForMaskedLM']);
      const logits = await reloadedLogits(r.output, objective, r.probe.windows);
      for (const [i, v] of logits.entries()) assert.ok(Math.abs(v - r.probe.logits[i]) < 1e-4, `logit ${i}: ${v}`);
    });
  }

  it('gives encoder and decoder the same parameter count (within 0.5%) and the same tokenizer', () => {
    const clm = results.clm as PretrainResult;
    const mlm = results.mlm as PretrainResult;
    assert.ok(
      Math.abs(clm.parameters - mlm.parameters) / clm.parameters < 0.005,
      `${clm.parameters} vs ${mlm.parameters}`,
    );
    assert.equal(
      readFileSync(join(clm.output, 'tokenizer.json'), 'utf8'),
      readFileSync(join(mlm.output, 'tokenizer.json'), 'utf8'),
    );
  });

  it("saves a tokenizer.json that @lookright/text's word aligner loads (byte-level family)", () => {
    const tokenizer = loadWordTokenizer((results.clm as PretrainResult).output);
    assert.equal(tokenizer.family.family, 'byte-level');
    const words = ['Alice', 'was', 'beginning'];
    assert.deepEqual(tokenizer.encodeWords(words).flat(), tokenizer.encodeJoined(words));
  });
});
