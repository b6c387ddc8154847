import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { causal } from '@lookright/core';
import { loadDecoder } from '@lookright/engine';
import { loadWordTokenizer } from '@lookright/text';
import * as tf from '@tensorflow/tfjs-core';
import { dataPath } from '../../../../test/support/fixtures.js';
import { defaultPretrainConfig, type PretrainResult, pretrain } from './pretrain.js';

describe('pretrain: causal LM from scratch on Gutenberg', function () {
  this.timeout(10 * 60_000);
  let dir: string;
  let result: PretrainResult;

  before(async function () {
    const dataDir = dataPath(this, 'gutenberg_nltk');
    dir = mkdtempSync(join(tmpdir(), 'lookright-pretrain-'));
    result = await pretrain(
      { ...defaultPretrainConfig, objective: 'clm', size: 'micro', steps: 60, maxChars: 300_000, dataDir, output: dir },
      () => {},
    );
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('learns: the validation loss falls and the training loss curve goes down', () => {
    const mean = (xs: { loss: number }[]) => xs.reduce((a, x) => a + x.loss, 0) / xs.length;
    assert.ok(result.validationLoss.after < result.validationLoss.before - 0.3, JSON.stringify(result.validationLoss));
    assert.ok(mean(result.losses.slice(-10)) < mean(result.losses.slice(0, 10)));
  });

  it('writes an HF checkpoint that lookright loads back to the same outputs', async () => {
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    assert.equal(config.model_type, 'llama');
    assert.deepEqual(config.architectures, ['LlamaForCausalLM']);
    const { model } = await loadDecoder(dir);
    const ids = tf.tensor2d(result.probe.windows, undefined, 'int32');
    const out = model.forward(ids, tf.onesLike(ids) as tf.Tensor2D, new Array(model.numLayers).fill(causal), {
      outputLogits: true,
    });
    const logits = Array.from((out.logits as tf.Tensor3D).dataSync().subarray(0, 64));
    for (const [i, v] of logits.entries()) assert.ok(Math.abs(v - result.probe.logits[i]) < 1e-4, `logit ${i}: ${v}`);
    tf.dispose([ids, out.lastHiddenState, out.logits as tf.Tensor]);
    model.dispose();
  });

  it("saves a tokenizer.json that @lookright/text's word aligner loads (byte-level family)", () => {
    const tokenizer = loadWordTokenizer(dir);
    assert.equal(tokenizer.family.family, 'byte-level');
    const words = ['Alice', 'was', 'beginning'];
    assert.deepEqual(tokenizer.encodeWords(words).flat(), tokenizer.encodeJoined(words));
  });
});
