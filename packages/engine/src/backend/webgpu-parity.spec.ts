import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bidirectional, causal, type LayerMaskSpec } from '@lookright/core';
import { fixturePath } from '@lookright/test-support/fixtures';
import { tensorRelativeErrorAsync } from '@lookright/test-support/relative-error';
import * as tf from '@tensorflow/tfjs-core';
import { loadDecoder } from '../decoder/load-decoder.js';
import { loadEncoder } from '../encoder/load-encoder.js';
import { inspectHiddenStates } from '../inspect/inspect-hidden-states.js';
import { type LoadedTensor, readSafetensors } from '../io/safetensors-read.js';
import { packFrozenWeights } from '../lora/pack-frozen-weights.js';
import { defineOpGradientTests } from '../testing/op-gradient-cases.js';
import { onWebgpuTestBackend } from '../testing/webgpu-test-backend.js';

/** The same bound the wasm parity specs use: max|diff| / max|ref| per tensor. */
const TOLERANCE = 1e-4;
const toInt2d = (t: LoadedTensor) => tf.tensor2d(Int32Array.from(t.data), t.shape as [number, number], 'int32');
const specsOf = (pattern: string): LayerMaskSpec[] => [...pattern].map((c) => (c === '1' ? bidirectional : causal));

async function expectClose(name: string, pairs: [string, tf.Tensor][], ref: Map<string, LoadedTensor>) {
  for (const [key, ours] of pairs) {
    const err = await tensorRelativeErrorAsync(ours, ref.get(key)!, key);
    assert.ok(err <= TOLERANCE, `${name} ${key}: max|diff|/max|ref| = ${err.toExponential(2)}`);
  }
  tf.dispose(pairs.map(([, t]) => t));
}

describe('webgpu parity with HF transformers (hf-tiny fixtures) and tf autodiff', function () {
  this.timeout(600_000);
  onWebgpuTestBackend();

  for (const name of ['llama-tiny', 'mistral-tiny']) {
    it(`${name}: hidden states and logits (causal), and every masked.<pattern>.* tensor`, async function () {
      const dir = fixturePath(this, 'hf-tiny', name);
      const { model } = await loadDecoder(dir, { backend: 'webgpu' });
      const ref = readSafetensors(join(dir, 'outputs.safetensors'));
      const ids = toInt2d(ref.get('input_ids')!);
      const mask = toInt2d(ref.get('attention_mask')!);
      try {
        const L = model.numLayers;
        const out = model.forward(ids, mask, specsOf('0'.repeat(L)), {
          outputLayers: true,
          outputLogits: model.hasLmHead,
        });
        const causalPairs: [string, tf.Tensor][] = [
          ['last_hidden_state', out.lastHiddenState],
          ['hidden_states.0', out.embeddings!],
          ...out.layerOutputs.slice(0, -1).map((t, i): [string, tf.Tensor] => [`hidden_states.${i + 1}`, t]),
        ];
        if (out.logits) causalPairs.push(['logits', out.logits]);
        tf.dispose(out.layerOutputs.at(-1)!);
        await expectClose(name, causalPairs, ref);
        const patterns = new Set([...ref.keys()].filter((k) => k.startsWith('masked.')).map((k) => k.split('.')[1]));
        assert.ok(patterns.size >= 5, 'the fixture holds the five patterns');
        for (const pattern of patterns) {
          const masked = model.forward(ids, mask, specsOf(pattern), { outputLayers: true });
          tf.dispose(masked.embeddings!);
          await expectClose(
            name,
            [
              [`masked.${pattern}.last_hidden_state`, masked.lastHiddenState],
              ...masked.layerOutputs.map((t, i): [string, tf.Tensor] => [`masked.${pattern}.layer_out.${i}`, t]),
            ],
            ref,
          );
        }
      } finally {
        model.dispose();
        tf.dispose([ids, mask]);
      }
    });
  }

  /**
   * Frozen projection weights in 16 bits (recipe weightStorage), everything else f32, against HF's f32 outputs.
   * bf16 keeps 8 significant bits (about 2.4 decimal digits): each weight moves by up to 2^-8 = 3.9e-3 of itself;
   * f16 keeps 11 (2^-11 = 4.9e-4). Through 4 layers of 7 projections, residual adds and RMSNorm (which rescales the
   * small components of these random-weight models) the errors compound: measured on the software adapter, worst
   * max|diff| / max|ref| over hidden states and logits was 1.5e-2 (llama-tiny) and 2.2e-2 (mistral-tiny) for bf16,
   * 1.6e-3 and 2.0e-3 for f16 (the same 8x apart as the roundoffs). The bounds are about 2.5x those; a weight read
   * wrongly (a swapped half, a wrong row, the other format) gives errors of order 1. bf16 loads packed (loadDecoder's
   * weightStorage, the path LoRA training takes); f16 loads in f32 and packs afterwards (packFrozenWeights): both give
   * the same words (load-decoder-packed.spec.ts).
   */
  const HALF_TOLERANCE = { bf16: 5e-2, f16: 5e-3 } as const;
  for (const name of ['llama-tiny', 'mistral-tiny'])
    for (const format of ['bf16', 'f16'] as const)
      it(`${name} with frozen weights in ${format}: hidden states and logits within ${HALF_TOLERANCE[format]}`, async function () {
        const dir = fixturePath(this, 'hf-tiny', name);
        const atLoad = format === 'bf16';
        const { model } = await loadDecoder(dir, { backend: 'webgpu', ...(atLoad ? { weightStorage: format } : {}) });
        const ref = readSafetensors(join(dir, 'outputs.safetensors'));
        const ids = toInt2d(ref.get('input_ids')!);
        const mask = toInt2d(ref.get('attention_mask')!);
        try {
          assert.equal(await packFrozenWeights(model, format), atLoad ? 0 : model.numLayers * 7);
          const out = model.forward(ids, mask, specsOf('0'.repeat(model.numLayers)), {
            outputLayers: true,
            outputLogits: model.hasLmHead,
          });
          const pairs: [string, tf.Tensor][] = [
            ['last_hidden_state', out.lastHiddenState],
            ...out.layerOutputs.slice(0, -1).map((t, i): [string, tf.Tensor] => [`hidden_states.${i + 1}`, t]),
          ];
          if (out.logits) pairs.push(['logits', out.logits]);
          tf.dispose([out.embeddings!, out.layerOutputs.at(-1)!]);
          let worst = 0;
          for (const [key, ours] of pairs) {
            const err = await tensorRelativeErrorAsync(ours, ref.get(key)!, key);
            worst = Math.max(worst, err);
            assert.ok(err <= HALF_TOLERANCE[format], `${name} ${format} ${key}: ${err.toExponential(2)}`);
          }
          assert.ok(worst > 1e-6, `${format} weights change the numbers (worst ${worst}): the 16-bit kernel ran`);
          console.log(`      ${name} ${format}: worst max|diff|/max|ref| ${worst.toExponential(2)}`);
          tf.dispose(pairs.map(([, t]) => t));
        } finally {
          model.dispose();
          tf.dispose([ids, mask]);
        }
      });

  for (const name of ['bert-tiny', 'roberta-tiny']) {
    it(`${name}: last_hidden_state, every hidden_states.k and pooler_output`, async function () {
      const dir = fixturePath(this, 'hf-tiny', name);
      const { model } = await loadEncoder(dir);
      const ref = readSafetensors(join(dir, 'outputs.safetensors'));
      const [ids, mask, types] = ['input_ids', 'attention_mask', 'token_type_ids'].map((k) => toInt2d(ref.get(k)!));
      try {
        const out = model.forward(ids, mask, null, { outputLayers: true, outputPooler: true, tokenTypeIds: types });
        await expectClose(
          name,
          [
            ['last_hidden_state', out.lastHiddenState],
            ['hidden_states.0', out.embeddings!],
            ['pooler_output', out.pooledOutput!],
            ...out.layerOutputs.map((t, i): [string, tf.Tensor] => [`hidden_states.${i + 1}`, t]),
          ],
          ref,
        );
      } finally {
        model.dispose();
        tf.dispose([ids, mask, types]);
      }
    });
  }

  it('inspectHiddenStates --backend webgpu writes the masked.1100.* fixture tensors', async function () {
    const dir = fixturePath(this, 'hf-tiny', 'llama-tiny');
    const tmp = mkdtempSync(join(tmpdir(), 'lookright-inspect-webgpu-'));
    try {
      const out = join(tmp, 'out.safetensors');
      const result = await inspectHiddenStates({
        model: dir,
        inputs: join(dir, 'outputs.safetensors'),
        out,
        backend: 'webgpu',
        resolveSpecs: (n) => Array.from({ length: n }, (_, i) => (i < 2 ? bidirectional : causal)),
      });
      assert.equal(result.backend.name, 'webgpu');
      const ours = readSafetensors(out);
      const ref = readSafetensors(join(dir, 'outputs.safetensors'));
      assert.equal(ours.size, 5);
      for (const [name, t] of ours) {
        const err = await tensorRelativeErrorAsync(
          { shape: t.shape, data: async () => t.data },
          ref.get(`masked.1100.${name}`)!,
          name,
        );
        assert.ok(err <= TOLERANCE, `${name}: ${err.toExponential(2)}`);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  describe('custom gradients equal tf autodiff on webgpu', () => {
    defineOpGradientTests();
  });
});
