import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  type EncoderModel,
  type LoadedTensor,
  loadEncoder,
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

/** Switches to wasm with or without the native kernels and training ops; returns the ops' restore. */
async function useKernels(native: boolean): Promise<() => void> {
  if (!native) {
    await useStockBackend('wasm');
    return () => {};
  }
  await useNativeBackend('wasm');
  return replaceTrainingOps(nativeTrainingOps());
}

describe('hf-tiny encoder parity with native kernels on (wasm)', function () {
  this.timeout(300_000);
  beforeEach(function () {
    requireAddon(this);
  });
  after(() => useStockBackend('wasm'));

  for (const name of ['bert-tiny', 'roberta-tiny']) {
    it(`${name}: last_hidden_state, every hidden_states.k and pooler_output within 1e-4 of transformers`, async function () {
      const dir = fixturePath(this, 'hf-tiny', name);
      const restore = await useKernels(true);
      const { model } = await loadEncoder(dir);
      const ref = readSafetensors(join(dir, 'outputs.safetensors'));
      const ids = toInt2d(ref.get('input_ids') as LoadedTensor);
      const mask = toInt2d(ref.get('attention_mask') as LoadedTensor);
      const types = toInt2d(ref.get('token_type_ids') as LoadedTensor);
      const out = model.forward(ids, mask, null, { outputLayers: true, outputPooler: true, tokenTypeIds: types });
      const checks: [string, tf.Tensor][] = [
        ['last_hidden_state', out.lastHiddenState],
        ['pooler_output', out.pooledOutput as tf.Tensor],
      ];
      for (const [i, t] of out.layerOutputs.entries()) checks.push([`hidden_states.${i + 1}`, t]);
      for (const [key, ours] of checks) {
        const err = tensorRelativeError(ours, ref.get(key) as LoadedTensor);
        assert.ok(err <= 1e-4, `${name} ${key}: max|diff|/max|ref| = ${err.toExponential(2)}`);
      }
      tf.dispose([...checks.map(([, t]) => t), out.embeddings, ids, mask, types].filter((t) => t !== undefined));
      model.dispose();
      restore();
    });
  }

  it('bert-tiny in training mode (dropout on): gradients of every parameter equal the pure-tfjs ops within 1e-4', async function () {
    const dir = fixturePath(this, 'hf-tiny', 'bert-tiny');
    const ref = readSafetensors(join(dir, 'outputs.safetensors'));
    const gradsWith = async (native: boolean): Promise<Map<string, Float32Array>> => {
      const restore = await useKernels(native);
      const model: EncoderModel = (await loadEncoder(dir)).model;
      const vars = model.setTrainable(() => true);
      const ids = toInt2d(ref.get('input_ids') as LoadedTensor);
      const mask = toInt2d(ref.get('attention_mask') as LoadedTensor);
      const { grads, value } = tf.variableGrads(() => {
        const h = model.forward(ids, mask, null, { training: true, seed: 11 }).lastHiddenState;
        return tf.sum(tf.mul(h, tf.sin(tf.reshape(tf.range(0, h.size), h.shape)))) as tf.Scalar;
      }, [...vars.values()]);
      const withGrad = [...vars].filter(([, v]) => grads[v.name] !== undefined);
      const out = new Map(withGrad.map(([n, v]) => [n, grads[v.name].dataSync() as Float32Array] as const));
      tf.dispose([value, ...Object.values(grads), ids, mask]);
      model.dispose();
      restore();
      return out;
    };
    const expected = await gradsWith(false);
    const actual = await gradsWith(true);
    assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
    assert.ok(expected.size > 10, `gradients for ${expected.size} parameters`);
    const maxAbs = (xs: Float32Array) => xs.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (const [n, g] of expected) {
      const got = actual.get(n) as Float32Array;
      // softmax ignores a shift shared by a row, so the key bias's true gradient is 0: both sides are rounding noise
      if (n.endsWith('attention.self.key.bias')) {
        const scale = maxAbs(expected.get(n.replace('key.bias', 'query.bias')) as Float32Array);
        for (const side of [g, got]) assert.ok(maxAbs(side) <= 1e-4 * scale, `d/d ${n} is not ~0`);
      } else assertClose(got, g, `d/d ${n}`, 1e-4);
    }
  });
});
