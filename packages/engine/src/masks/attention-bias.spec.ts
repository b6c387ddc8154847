import assert from 'node:assert/strict';
import { join } from 'node:path';
import { bidirectional, causal, type LayerMaskSpec } from '@lookright/core';
import { fixturePath } from '@lookright/test-support/fixtures';
import * as tf from '@tensorflow/tfjs-core';
import { readSafetensors } from '../io/safetensors-read.js';
import { useTestBackend } from '../testing/test-backend.js';
import { BLOCKED, MaskBuilder } from './attention-bias.js';

function loadOutputs(dir: string) {
  const t = readSafetensors(join(dir, 'outputs.safetensors'));
  const mask = t.get('attention_mask')!;
  return { t, mask: tf.tensor2d(Int32Array.from(mask.data), mask.shape as [number, number], 'int32') };
}

describe('MaskBuilder', () => {
  before(async () => {
    await useTestBackend();
  });

  for (const [model, window] of [
    ['llama-tiny', undefined],
    ['mistral-tiny', 8],
  ] as const) {
    it(`reproduces allowed.causal and allowed.bidirectional of ${model}`, function () {
      const { t, mask } = loadOutputs(fixturePath(this, 'hf-tiny', model));
      const builder = new MaskBuilder({ slidingWindow: window });
      const [b, s] = mask.shape;
      for (const [name, spec] of [
        ['causal', causal],
        ['bidirectional', bidirectional],
      ] as const) {
        const expected = t.get(`allowed.${name}`)!;
        assert.deepEqual(expected.shape, [b, s, s]);
        const [bias] = builder.biases([spec], mask);
        assert.deepEqual(bias.shape, [b, 1, s, s]);
        const got = bias.dataSync();
        for (let k = 0; k < got.length; k++) {
          const allowed = got[k] === 0;
          if (!allowed) assert.equal(got[k], BLOCKED, `blocked entries are exactly float32 min (${name} #${k})`);
          assert.equal(allowed, expected.data[k] === 1, `${model} ${name} flat index ${k}`);
        }
        bias.dispose();
      }
      mask.dispose();
      builder.dispose();
    });
  }

  it('builds each distinct spec once per sequence length and shares it across layers', () => {
    const builder = new MaskBuilder();
    const mask = tf.tensor2d([1, 1, 1, 0, 1, 1, 1, 1], [2, 4], 'int32');
    const specs: LayerMaskSpec[] = [causal, bidirectional, causal, bidirectional];
    const first = builder.biases(specs, mask);
    assert.equal(builder.cachedPatterns, 2);
    assert.equal(first[0], first[2], 'layers with equal specs share one bias tensor');
    assert.notEqual(first[0], first[1]);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) {
      tf.tidy(() => {
        builder.biases(specs, mask);
      });
    }
    assert.equal(tf.memory().numTensors, before, 'no tensors leak across batches');
    assert.equal(builder.cachedPatterns, 2);
    tf.dispose(first);
    builder.dispose();
    mask.dispose();
  });

  it('keeps softmax NaN-free when a query row has no visible key', () => {
    const builder = new MaskBuilder();
    const mask = tf.tensor2d([1, 1, 0, 0, 0, 0], [2, 3], 'int32');
    const probs = tf.tidy(() => {
      const [bias] = builder.biases([causal], mask);
      const scores = tf.randomNormal([2, 2, 3, 3], 0, 3, 'float32', 7);
      return tf.softmax(tf.add(scores, bias));
    });
    const p = probs.arraySync() as number[][][][];
    for (const v of probs.dataSync()) assert.ok(Number.isFinite(v));
    // batch 1 is all padding: every row is fully masked and falls back to uniform weights, not NaN.
    for (const v of p[1][0][2]) assert.ok(Math.abs(v - 1 / 3) < 1e-6);
    // batch 0, query 2 (a padded query): it sees real keys 0 and 1 only.
    assert.equal(p[0][0][2][2], 0);
    assert.ok(Math.abs(p[0][0][2][0] + p[0][0][2][1] - 1) < 1e-6);
    probs.dispose();
    mask.dispose();
    builder.dispose();
  });

  it('applies a window spec together with the model window', () => {
    const builder = new MaskBuilder({ slidingWindow: 3 });
    const mask = tf.tensor2d([1, 1, 1, 1, 1, 1], [1, 6], 'int32');
    const [bias] = builder.biases([{ kind: 'window', left: 1, right: 5 }], mask);
    const rows = (bias.arraySync() as number[][][][])[0][0].map((r) => r.map((v) => (v === 0 ? 1 : 0)).join(''));
    // query i sees i-1..i+5, cut to |i-j| < 3
    assert.deepEqual(rows, ['111000', '111100', '011110', '001111', '000111', '000011']);
    bias.dispose();
    mask.dispose();
    builder.dispose();
  });

  it('refuses a window spec with a negative extent', () => {
    const builder = new MaskBuilder();
    const mask = tf.tensor2d([1, 1], [1, 2], 'int32');
    assert.throws(
      () => tf.tidy(() => builder.biases([causal, { kind: 'window', left: -1, right: 0 }], mask)),
      (e: Error & { code?: string }) => e.code === 'MASK_SPEC_INVALID' && /layer 1/.test(e.message),
    );
    mask.dispose();
    builder.dispose();
  });
});
