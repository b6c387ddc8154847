import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bidirectional, causal, type LayerMaskSpec } from '@lookright/core';
import { dataPath, fixturePath } from '@lookright/test-support/fixtures';
import { tensorRelativeError } from '@lookright/test-support/relative-error';
import * as tf from '@tensorflow/tfjs-core';
import { type LoadedTensor, readSafetensors } from '../io/safetensors-read.js';
import { useTestBackend } from '../testing/test-backend.js';
import type { DecoderModel } from './decoder-model.js';
import { loadDecoder } from './load-decoder.js';

const toInt2d = (t: LoadedTensor) => tf.tensor2d(Int32Array.from(t.data), t.shape as [number, number], 'int32');
const specsOf = (pattern: string): LayerMaskSpec[] => [...pattern].map((c) => (c === '1' ? bidirectional : causal));

describe('decoder parity with HF transformers (hf-tiny fixtures)', function () {
  this.timeout(300_000);
  before(async () => {
    await useTestBackend();
  });

  for (const name of ['llama-tiny', 'mistral-tiny']) {
    describe(name, () => {
      let model: DecoderModel;
      let ref: ReturnType<typeof readSafetensors>;
      let ids: tf.Tensor2D;
      let mask: tf.Tensor2D;

      before(async function () {
        const dir = fixturePath(this, 'hf-tiny', name);
        model = (await loadDecoder(dir)).model;
        ref = readSafetensors(join(dir, 'outputs.safetensors'));
        ids = toInt2d(ref.get('input_ids')!);
        mask = toInt2d(ref.get('attention_mask')!);
      });
      after(() => {
        model?.dispose();
        tf.dispose([ids, mask]);
      });

      it('matches hidden_states.k, last_hidden_state and logits (causal)', () => {
        const L = model.numLayers;
        const out = model.forward(ids, mask, specsOf('0'.repeat(L)), {
          outputLayers: true,
          outputLogits: model.hasLmHead,
        });
        const checks: [string, tf.Tensor][] = [
          ['last_hidden_state', out.lastHiddenState],
          ['hidden_states.0', out.embeddings!],
          [`hidden_states.${L}`, out.lastHiddenState],
        ];
        for (let i = 0; i < L - 1; i++) checks.push([`hidden_states.${i + 1}`, out.layerOutputs[i]]);
        if (ref.has('logits')) checks.push(['logits', out.logits!]);
        for (const [key, ours] of checks) {
          const err = tensorRelativeError(ours, ref.get(key)!, key);
          assert.ok(err <= 1e-4, `${name} ${key}: max|diff|/max|ref| = ${err.toExponential(2)}`);
        }
        assert.equal(ref.has('logits'), name === 'llama-tiny', 'the llama fixture carries logits');
        tf.dispose([out.lastHiddenState, out.embeddings!, ...out.layerOutputs, ...(out.logits ? [out.logits] : [])]);
      });

      it('matches every masked.<pattern>.* tensor', () => {
        const patterns = new Set([...ref.keys()].filter((k) => k.startsWith('masked.')).map((k) => k.split('.')[1]));
        assert.ok(patterns.size >= 5, 'fixture holds the five patterns');
        let compared = 0;
        for (const pattern of patterns) {
          const out = model.forward(ids, mask, specsOf(pattern), { outputLayers: true });
          const err = tensorRelativeError(
            out.lastHiddenState,
            ref.get(`masked.${pattern}.last_hidden_state`)!,
            pattern,
          );
          assert.ok(err <= 1e-4, `${name} masked.${pattern}.last_hidden_state: ${err.toExponential(2)}`);
          out.layerOutputs.forEach((layerOut, i) => {
            const key = `masked.${pattern}.layer_out.${i}`;
            const e = tensorRelativeError(layerOut, ref.get(key)!, key);
            assert.ok(e <= 1e-4, `${name} ${key}: ${e.toExponential(2)}`);
            compared++;
          });
          tf.dispose([out.lastHiddenState, ...out.layerOutputs, out.embeddings!]);
        }
        assert.equal(compared, patterns.size * model.numLayers);
      });

      it('leaks no tensors across eval forward passes', () => {
        const specs = specsOf('0101');
        const run = () => tf.dispose(model.forward(ids, mask, specs).lastHiddenState);
        run();
        const before = tf.memory().numTensors;
        run();
        run();
        assert.equal(tf.memory().numTensors, before);
      });
    });
  }
});

describe('decoder parity on the trained stories260K checkpoint', function () {
  this.timeout(300_000);
  let model: DecoderModel;
  let dir: string;
  before(async function () {
    await useTestBackend();
    dir = dataPath(this, 'tiny_checkpoints', 'stories260K_hf');
    model = (await loadDecoder(dir)).model;
  });
  after(() => model?.dispose());

  const run = (tokens: number[]) => {
    const ids = tf.tensor2d(tokens, [1, tokens.length], 'int32');
    const mask = tf.onesLike(ids) as tf.Tensor2D;
    const out = model.forward(ids, mask, specsOf('0'.repeat(model.numLayers)), { outputLogits: true });
    const logits = out.logits!.arraySync()[0];
    tf.dispose([ids, mask, out.lastHiddenState, out.logits!]);
    return logits;
  };
  const argmax = (row: number[]) => row.reduce((best, v, i) => (v > row[best] ? i : best), 0);

  it('matches logits_fixture.json (last-position logits and argmax per position)', () => {
    const fixture = JSON.parse(readFileSync(join(dir, 'logits_fixture.json'), 'utf8')) as {
      input_ids: number[];
      logits_at_last_position_vocab_ids_0_to_7: number[];
      argmax_per_position: number[];
    };
    const logits = run(fixture.input_ids);
    const last = logits[logits.length - 1];
    const expected = fixture.logits_at_last_position_vocab_ids_0_to_7;
    const scale = Math.max(...expected.map(Math.abs));
    for (const [i, v] of expected.entries()) {
      assert.ok(Math.abs(last[i] - v) <= 1e-4 * scale, `logit ${i}: ${last[i]} vs ${v}`);
    }
    assert.deepEqual(logits.map(argmax), fixture.argmax_per_position);
  });

  it('reproduces expected_greedy_200.json by teacher-forced greedy decoding, and its mean NLL', () => {
    const greedy = JSON.parse(readFileSync(join(dir, 'expected_greedy_200.json'), 'utf8')) as { token_ids: number[] };
    const nllRef = (
      JSON.parse(readFileSync(join(dir, 'logits_fixture.json'), 'utf8')) as {
        mean_next_token_nll_over_expected_greedy_200: number;
      }
    ).mean_next_token_nll_over_expected_greedy_200;
    const tokens = greedy.token_ids;
    const logits = run(tokens.slice(0, -1));
    assert.deepEqual(logits.map(argmax), tokens.slice(1), 'argmax at every position is the next greedy token');
    let nll = 0;
    logits.forEach((row, i) => {
      const max = Math.max(...row);
      const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
      nll += logSum - row[tokens[i + 1]];
    });
    nll /= logits.length;
    assert.ok(Math.abs(nll - nllRef) <= 1e-4 * nllRef, `mean NLL ${nll} vs ${nllRef}`);
  });
});
