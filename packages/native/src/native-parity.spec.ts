import assert from 'node:assert/strict';
import { join } from 'node:path';
import { bidirectional, causal, type LayerMaskSpec } from '@lookright/core';
import {
  type DecoderModel,
  type LoadedTensor,
  loadDecoder,
  readSafetensors,
  replaceTrainingOps,
} from '@lookright/engine';
import { fixturePath } from '@lookright/test-support/fixtures';
import { tensorRelativeError } from '@lookright/test-support/relative-error';
import * as tf from '@tensorflow/tfjs-core';
import { nativeTrainingOps } from './ops/engine-ops.js';
import { requireAddon, useNativeBackend, useStockBackend } from './testing/backends.js';
import { assertClose } from './testing/compare.js';

const toInt2d = (t: LoadedTensor) => tf.tensor2d(Int32Array.from(t.data), t.shape as [number, number], 'int32');
const specsOf = (pattern: string): LayerMaskSpec[] => [...pattern].map((c) => (c === '1' ? bidirectional : causal));

describe('hf-tiny parity with native kernels on (wasm)', function () {
  this.timeout(300_000);
  let restoreOps: (() => void) | undefined;

  beforeEach(function () {
    requireAddon(this);
  });
  after(async () => {
    restoreOps?.();
    await useStockBackend('wasm');
  });

  for (const name of ['llama-tiny', 'mistral-tiny']) {
    it(`${name}: every layer output, last_hidden_state and masked.<pattern>.* within 1e-4`, async function () {
      const dir = fixturePath(this, 'hf-tiny', name);
      await useNativeBackend('wasm');
      restoreOps = replaceTrainingOps(nativeTrainingOps());
      const { model } = await loadDecoder(dir);
      const ref = readSafetensors(join(dir, 'outputs.safetensors'));
      const ids = toInt2d(ref.get('input_ids') as LoadedTensor);
      const mask = toInt2d(ref.get('attention_mask') as LoadedTensor);
      const L = model.numLayers;
      const out = model.forward(ids, mask, specsOf('0'.repeat(L)), { outputLayers: true });
      const checks: [string, tf.Tensor][] = [['last_hidden_state', out.lastHiddenState]];
      for (let i = 0; i < L - 1; i++) checks.push([`hidden_states.${i + 1}`, out.layerOutputs[i]]);
      const patterns = new Set([...ref.keys()].filter((k) => k.startsWith('masked.')).map((k) => k.split('.')[1]));
      assert.ok(patterns.size >= 5, 'fixture holds the mask patterns');
      const masked = [...patterns].map(
        (p) => [p, model.forward(ids, mask, specsOf(p), { outputLayers: true })] as const,
      );
      for (const [p, o] of masked) {
        checks.push([`masked.${p}.last_hidden_state`, o.lastHiddenState]);
        for (const [i, t] of o.layerOutputs.entries()) checks.push([`masked.${p}.layer_out.${i}`, t]);
      }
      for (const [key, ours] of checks) {
        const err = tensorRelativeError(ours, ref.get(key) as LoadedTensor);
        assert.ok(err <= 1e-4, `${name} ${key}: max|diff|/max|ref| = ${err.toExponential(2)}`);
      }
      tf.dispose(checks.map(([, t]) => t));
      tf.dispose([out.embeddings, ...masked.map(([, o]) => o.embeddings)].filter((t) => t !== undefined));
      tf.dispose([ids, mask]);
      model.dispose();
      restoreOps();
      restoreOps = undefined;
    });
  }

  it('llama-tiny: gradients of every parameter equal the pure-tfjs ops within 1e-4', async function () {
    const dir = fixturePath(this, 'hf-tiny', 'llama-tiny');
    const ref = readSafetensors(join(dir, 'outputs.safetensors'));
    const gradsWith = async (native: boolean): Promise<Map<string, Float32Array>> => {
      if (native) await useNativeBackend('wasm');
      else await useStockBackend('wasm');
      const restore = native ? replaceTrainingOps(nativeTrainingOps()) : () => {};
      const model: DecoderModel = (await loadDecoder(dir)).model;
      const vars = model.setTrainable(() => true);
      const ids = toInt2d(ref.get('input_ids') as LoadedTensor);
      const mask = toInt2d(ref.get('attention_mask') as LoadedTensor);
      const specs = specsOf(`1${'0'.repeat(model.numLayers - 1)}`);
      const { grads, value } = tf.variableGrads(() => {
        const h = model.forward(ids, mask, specs).lastHiddenState;
        return tf.sum(tf.mul(h, tf.sin(tf.reshape(tf.range(0, h.size), h.shape)))) as tf.Scalar;
      }, [...vars.values()]);
      // lm_head gets no gradient from hidden states; every other parameter must.
      const withGrad = [...vars].filter(([, v]) => grads[v.name] !== undefined);
      const out = new Map(withGrad.map(([n, v]) => [n, grads[v.name].dataSync() as Float32Array] as const));
      tf.dispose([value, ...Object.values(grads), ids, mask]);
      model.dispose();
      restore();
      return out;
    };
    requireAddon(this);
    const expected = await gradsWith(false);
    const actual = await gradsWith(true);
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
    assert.ok(expected.size > 10, `gradients for ${expected.size} parameters`);
    for (const [n, g] of expected) assertClose(actual.get(n) as Float32Array, g, `d/d ${n}`, 1e-4);
  });
});
