import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '@lookright/test-support/fixtures';
import * as tf from '@tensorflow/tfjs-core';
import { BLOCKED } from '../masks/attention-bias.js';
import { attention } from '../ops/attention.js';
import { useTestBackend } from '../testing/test-backend.js';
import { encoderAttention } from './encoder-attention.js';
import { loadEncoder } from './load-encoder.js';

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let d = 0;
  for (let i = 0; i < y.length; i++) d = Math.max(d, Math.abs(x[i] - y[i]));
  return d;
}

describe('encoder attention with attention-probability dropout', function () {
  this.timeout(120_000);
  before(async () => {
    await useTestBackend();
  });

  it('without dropping anything, the composed path equals the engine attention op', () => {
    tf.tidy(() => {
      const [q, k, v] = [1, 2, 3].map((s) => tf.randomNormal([2, 5, 4, 8], 0, 1, 'float32', s));
      const bias = tf.tensor4d([0, 0, 0, 0, 0, 0, 0, 0, BLOCKED, BLOCKED], [2, 1, 1, 5]);
      const bias5 = tf.tile(bias, [1, 1, 5, 1]) as tf.Tensor4D;
      const reference = attention(q, k, v, bias5, { numHeads: 4, numKvHeads: 4, headDim: 8 });
      const training = { training: true, nextSeed: () => 1 };
      const composed = encoderAttention(q, k, v, bias5, { numHeads: 4, headDim: 8 }, 1e-9, training);
      assert.ok(maxAbsDiff(composed, reference) < 1e-5);
    });
  });

  it('drops differently per seed, the same for the same seed, and never outside training', async function () {
    // bert-tiny with hidden_dropout_prob 0, so only attention_probs_dropout_prob (0.1) acts
    const src = fixturePath(this, 'hf-tiny', 'bert-tiny');
    const dir = mkdtempSync(join(tmpdir(), 'lookright-attn-dropout-'));
    const config = JSON.parse(readFileSync(join(src, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, hidden_dropout_prob: 0 }));
    copyFileSync(join(src, 'model.safetensors'), join(dir, 'model.safetensors'));
    const { model } = await loadEncoder(dir);
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(model.dropoutRates, { hidden: 0, attentionProbs: 0.1 }, 'from config.json');
    const ids = tf.tensor2d([[5, 9, 17, 33, 2]], [1, 5], 'int32');
    const mask = tf.onesLike(ids) as tf.Tensor2D;
    const run = (training: boolean, seed: number) => model.forward(ids, mask, null, { training, seed }).lastHiddenState;
    const [a, b, c, evalA, evalB] = [run(true, 1), run(true, 1), run(true, 2), run(false, 1), run(false, 2)];
    assert.equal(maxAbsDiff(a, b), 0);
    assert.ok(maxAbsDiff(a, c) > 1e-3);
    assert.equal(maxAbsDiff(evalA, evalB), 0);
    assert.ok(maxAbsDiff(a, evalA) > 1e-3);
    tf.dispose([a, b, c, evalA, evalB, ids, mask]);
    model.dispose();
  });
});
