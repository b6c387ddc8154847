import assert from 'node:assert/strict';
import { join } from 'node:path';
import { bidirectional, causal } from '@lookright/core';
import { fixturePath } from '@lookright/test-support/fixtures';
import { tensorRelativeError } from '@lookright/test-support/relative-error';
import * as tf from '@tensorflow/tfjs-core';
import { type LoadedTensor, readSafetensors } from '../io/safetensors-read.js';
import { useTestBackend } from '../testing/test-backend.js';
import type { EncoderModel } from './encoder-model.js';
import { loadEncoder } from './load-encoder.js';
import { encoderPositionIds } from './position-ids.js';

const toInt2d = (t: LoadedTensor) => tf.tensor2d(Int32Array.from(t.data), t.shape as [number, number], 'int32');

describe('encoder parity with HF transformers (hf-tiny fixtures)', function () {
  this.timeout(300_000);
  before(async () => {
    await useTestBackend();
  });

  for (const name of ['bert-tiny', 'roberta-tiny']) {
    describe(name, () => {
      let model: EncoderModel;
      let ref: ReturnType<typeof readSafetensors>;
      let ids: tf.Tensor2D;
      let mask: tf.Tensor2D;

      before(async function () {
        const dir = fixturePath(this, 'hf-tiny', name);
        model = (await loadEncoder(dir)).model;
        ref = readSafetensors(join(dir, 'outputs.safetensors'));
        ids = toInt2d(ref.get('input_ids')!);
        mask = toInt2d(ref.get('attention_mask')!);
      });
      after(() => {
        model?.dispose();
        tf.dispose([ids, mask]);
      });

      it('makes the position ids transformers used', () => {
        const ours = encoderPositionIds(model.config, ids);
        assert.deepEqual(Array.from(ours.dataSync()), Array.from(ref.get('position_ids')!.data));
        ours.dispose();
      });

      it('matches last_hidden_state, every hidden_states.k and pooler_output', () => {
        const L = model.numLayers;
        const types = toInt2d(ref.get('token_type_ids')!);
        const out = model.forward(ids, mask, null, { outputLayers: true, outputPooler: true, tokenTypeIds: types });
        const checks: [string, tf.Tensor][] = [
          ['last_hidden_state', out.lastHiddenState],
          ['hidden_states.0', out.embeddings!],
          ['pooler_output', out.pooledOutput!],
        ];
        for (let i = 0; i < L; i++) checks.push([`hidden_states.${i + 1}`, out.layerOutputs[i]]);
        const stored = [...ref.keys()].filter((k) => k.startsWith('hidden_states.'));
        assert.equal(stored.length, L + 1, 'the fixture holds hidden_states.0..L');
        for (const [key, ours] of checks) {
          const err = tensorRelativeError(ours, ref.get(key)!, key);
          assert.ok(err <= 1e-4, `${name} ${key}: max|diff|/max|ref| = ${err.toExponential(2)}`);
        }
        tf.dispose([types, out.lastHiddenState, out.embeddings!, out.pooledOutput!, ...out.layerOutputs]);
      });

      it('blocks padded keys: real positions do not change when the padded tokens do', () => {
        const L = model.numLayers;
        const specs = Array.from({ length: L }, () => bidirectional);
        const base = model.forward(ids, mask, specs);
        // give every padded position another token id (for RoBERTa this also moves their position ids)
        const maskRows = mask.arraySync();
        const changed = tf.tensor2d(
          ids.arraySync().map((row, b) => row.map((v, s) => (maskRows[b][s] === 0 ? 5 : v))),
          ids.shape,
          'int32',
        );
        assert.ok(
          maskRows.some((row) => row.includes(0)),
          'the fixture batch has padding',
        );
        const again = model.forward(changed, mask, specs);
        const a = base.lastHiddenState.arraySync();
        const c = again.lastHiddenState.arraySync();
        let maxDiff = 0;
        for (const [b, row] of maskRows.entries()) {
          for (const [s, m] of row.entries()) {
            if (m !== 1) continue;
            for (const [h, v] of a[b][s].entries()) maxDiff = Math.max(maxDiff, Math.abs(v - c[b][s][h]));
          }
        }
        assert.equal(maxDiff, 0, 'real positions are unaffected by padded tokens');
        tf.dispose([base.lastHiddenState, again.lastHiddenState, changed]);
      });

      it('refuses a mask spec that is not bidirectional, naming the layer', () => {
        const specs = Array.from({ length: model.numLayers }, (_, i) => (i === 1 ? causal : bidirectional));
        assert.throws(
          () => model.forward(ids, mask, specs),
          (e: Error & { code?: string }) => e.code === 'ENCODER_MASK_NOT_BIDIRECTIONAL' && /layer 1/.test(e.message),
        );
      });
    });
  }
});
