import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bidirectional, causal, type LayerMaskSpec } from '@lookright/core';
import { fixturePath } from '@lookright/test-support/fixtures';
import { tensorRelativeError } from '@lookright/test-support/relative-error';
import * as tf from '@tensorflow/tfjs-core';
import type { DecoderModel } from '../decoder/decoder-model.js';
import { loadDecoder } from '../decoder/load-decoder.js';
import { type LoadedTensor, readSafetensors } from '../io/safetensors-read.js';
import { writeSafetensors } from '../io/safetensors-write.js';
import { useTestBackend } from '../testing/test-backend.js';
import { mergeLora } from './attach-lora.js';
import { applyPeftAdapter } from './peft-load.js';
import { type PeftWrappedClass, savePeftAdapter } from './peft-save.js';

const specsOf = (pattern: string): LayerMaskSpec[] => [...pattern].map((c) => (c === '1' ? bidirectional : causal));
const int2d = (t: LoadedTensor) => tf.tensor2d(Int32Array.from(t.data), t.shape as [number, number], 'int32');

const cases: { adapter: string; base: string; wrapped: PeftWrappedClass }[] = [
  { adapter: 'llama-tiny-lora', base: 'llama-tiny', wrapped: 'causal-lm' },
  { adapter: 'mistral-tiny-lora', base: 'mistral-tiny', wrapped: 'bare' },
  { adapter: 'llama-tiny-tokcls-lora', base: 'llama-tiny', wrapped: 'token-classification' },
];

describe('PEFT LoRA adapters', function () {
  this.timeout(300_000);
  before(async () => {
    await useTestBackend();
  });

  for (const { adapter, base, wrapped } of cases) {
    describe(adapter, () => {
      let model: DecoderModel;
      let ref: Map<string, LoadedTensor>;
      let ids: tf.Tensor2D;
      let mask: tf.Tensor2D;
      let adapterDir: string;
      let baseDir: string;
      let head: { weight: tf.Tensor2D; bias?: tf.Tensor1D } | undefined;

      before(async function () {
        adapterDir = fixturePath(this, 'peft', adapter);
        baseDir = fixturePath(this, 'hf-tiny', base);
        model = (await loadDecoder(baseDir)).model;
        ref = readSafetensors(join(adapterDir, 'outputs.safetensors'));
        ids = int2d(ref.get('input_ids')!);
        mask = int2d(ref.get('attention_mask')!);
      });
      after(() => {
        model?.dispose();
        tf.dispose([ids, mask, ...(head ? [head.weight, ...(head.bias ? [head.bias] : [])] : [])]);
      });

      it('loads onto its base and reproduces PEFT outputs (unmerged, every mask pattern)', () => {
        const loaded = applyPeftAdapter(model, adapterDir);
        assert.equal(loaded.adaptedModules, model.numLayers * (adapter.startsWith('mistral') ? 4 : 2));
        const score = loaded.savedModules.get('score.weight');
        if (score) {
          const bias = loaded.savedModules.get('score.bias')!;
          head = {
            weight: tf.tensor2d(score.data as Float32Array, score.shape as [number, number]),
            bias: tf.tensor1d(bias.data as Float32Array),
          };
        }
        const L = model.numLayers;
        const out = model.forward(ids, mask, specsOf('0'.repeat(L)), {
          outputLayers: true,
          outputLogits: wrapped === 'causal-lm',
        });
        const checks: [string, tf.Tensor][] = [
          ['last_hidden_state', out.lastHiddenState],
          ['hidden_states.0', out.embeddings!],
          ...out.layerOutputs.map((t, i): [string, tf.Tensor] => [`layer_out.${i}`, t]),
        ];
        if (out.logits) checks.push(['logits', out.logits]);
        const headLogits = head
          ? tf.add(tf.matMul(tf.reshape(out.lastHiddenState, [-1, 64]), head.weight, false, true), head.bias!)
          : undefined;
        if (headLogits) checks.push(['logits', tf.reshape(headLogits, ref.get('logits')!.shape)]);
        for (const [key, t] of checks) {
          const e = tensorRelativeError(t, ref.get(key)!, key);
          assert.ok(e <= 1e-4, `${adapter} ${key}: ${e.toExponential(2)}`);
        }
        const base = ref.get('base.last_hidden_state')!;
        assert.ok(tensorRelativeError(out.lastHiddenState, base, 'base') > 1e-2, 'the adapter changes the output');
        tf.dispose(checks.map(([, t]) => t).concat(headLogits ? [headLogits] : []));
        for (const pattern of ['0000', '1111', '1100', '0011', '0101']) {
          const m = model.forward(ids, mask, specsOf(pattern), { outputLayers: true });
          const e = tensorRelativeError(m.lastHiddenState, ref.get(`masked.${pattern}.last_hidden_state`)!, pattern);
          assert.ok(e <= 1e-4, `${adapter} masked.${pattern}: ${e.toExponential(2)}`);
          m.layerOutputs.forEach((t, i) => {
            const key = `masked.${pattern}.layer_out.${i}`;
            assert.ok(tensorRelativeError(t, ref.get(key)!, key) <= 1e-4, key);
          });
          tf.dispose([m.lastHiddenState, m.embeddings!, ...m.layerOutputs]);
        }
      });

      it('saves an adapter with PEFT v0.7.1 fields and key names, which loads back to the same outputs', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'lookright-peft-'));
        try {
          await savePeftAdapter(model, dir, { wrappedClass: wrapped, baseModelNameOrPath: baseDir, head });
          const ours = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
          const theirs = JSON.parse(readFileSync(join(adapterDir, 'adapter_config.json'), 'utf8')) as Record<
            string,
            unknown
          >;
          assert.deepEqual(Object.keys(ours).sort(), Object.keys(theirs).sort(), 'exactly the v0.7.1 field set');
          for (const k of ['r', 'lora_alpha', 'lora_dropout', 'task_type', 'peft_type', 'bias']) {
            assert.equal(ours[k], theirs[k], k);
          }
          assert.deepEqual(
            new Set(ours.target_modules as string[]),
            new Set(theirs.target_modules as string[]),
            'target_modules compared as a set',
          );
          const ourTensors = readSafetensors(join(dir, 'adapter_model.safetensors'));
          const theirTensors = readSafetensors(join(adapterDir, 'adapter_model.safetensors'));
          assert.deepEqual([...ourTensors.keys()].sort(), [...theirTensors.keys()].sort(), 'PEFT key names');
          assert.deepEqual(ourTensors.metadata, { format: 'pt' });
          for (const [k, t] of theirTensors) {
            const mine = ourTensors.get(k)!;
            assert.deepEqual(mine.shape, t.shape, k);
            for (let i = 0; i < t.data.length; i++) assert.ok(Math.abs(mine.data[i] - t.data[i]) < 1e-7, `${k}[${i}]`);
          }
          const again = (await loadDecoder(baseDir)).model;
          applyPeftAdapter(again, dir);
          const out = again.forward(ids, mask, specsOf('0000'));
          assert.ok(tensorRelativeError(out.lastHiddenState, ref.get('last_hidden_state')!, 'reloaded') <= 1e-4);
          tf.dispose(out.lastHiddenState);
          again.dispose();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it('merges into the weights and reproduces merged.*', () => {
        mergeLora(model);
        assert.ok(model.params.layers.every((l) => Object.values(l.proj).every((p) => !p.lora)));
        const out = model.forward(ids, mask, specsOf('0000'), { outputLayers: true });
        const e = tensorRelativeError(out.lastHiddenState, ref.get('merged.last_hidden_state')!, 'merged');
        assert.ok(e <= 1e-4, `${adapter} merged.last_hidden_state: ${e.toExponential(2)}`);
        out.layerOutputs.forEach((t, i) => {
          assert.ok(tensorRelativeError(t, ref.get(`merged.layer_out.${i}`)!, `merged.layer_out.${i}`) <= 1e-4);
        });
        tf.dispose([out.lastHiddenState, out.embeddings!, ...out.layerOutputs]);
      });
    });
  }

  describe('refuses adapters PEFT would silently mis-load', () => {
    let model: DecoderModel;
    let src: string;
    let tmp: string;
    before(async function () {
      src = fixturePath(this, 'peft', 'llama-tiny-lora');
      model = (await loadDecoder(fixturePath(this, 'hf-tiny', 'llama-tiny'))).model;
    });
    beforeEach(() => {
      tmp = mkdtempSync(join(tmpdir(), 'lookright-peft-bad-'));
    });
    afterEach(() => rmSync(tmp, { recursive: true, force: true }));
    after(() => model?.dispose());

    function variant(renameKey: (k: string) => string | undefined, config?: (c: Record<string, unknown>) => void) {
      const c = JSON.parse(readFileSync(join(src, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
      config?.(c);
      writeFileSync(join(tmp, 'adapter_config.json'), JSON.stringify(c));
      const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
      for (const [k, t] of readSafetensors(join(src, 'adapter_model.safetensors'))) {
        const name = renameKey(k);
        if (name) tensors.set(name, { shape: t.shape, data: t.data as Float32Array });
      }
      writeSafetensors(join(tmp, 'adapter_model.safetensors'), tensors);
    }
    const code = (c: string) => (e: Error & { code?: string }) => e.code === c;

    it('keys that carry the adapter name', () => {
      variant((k) => k.replace('.lora_A.', '.lora_A.default.').replace('.lora_B.', '.lora_B.default.'));
      assert.throws(() => applyPeftAdapter(model, tmp), code('ADAPTER_TENSOR_NAMES'));
    });
    it('a missing lora_B', () => {
      variant((k) => (k.includes('layers.0.self_attn.q_proj.lora_B') ? undefined : k));
      assert.throws(
        () => applyPeftAdapter(model, tmp),
        (e: Error & { code?: string }) =>
          e.code === 'ADAPTER_TENSOR_NAMES' && e.message.includes('layers.0.self_attn.q_proj.lora_B'),
      );
    });
    it('a lower-case peft_type', () => {
      variant(
        (k) => k,
        (c) => {
          c.peft_type = 'lora';
        },
      );
      assert.throws(() => applyPeftAdapter(model, tmp), code('ADAPTER_INVALID'));
    });
    it('an r that disagrees with the tensors', () => {
      variant(
        (k) => k,
        (c) => {
          delete c.r;
        },
      );
      assert.throws(
        () => applyPeftAdapter(model, tmp),
        (e: Error) => /r = 8/.test(e.message),
      );
    });
  });
});
