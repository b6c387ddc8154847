import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '@lookright/test-support/fixtures';
import * as tf from '@tensorflow/tfjs-core';
import { readSafetensors } from '../io/safetensors-read.js';
import { attachLora, mergeLora } from '../lora/attach-lora.js';
import { loraSettings } from '../lora/lora-settings.js';
import { PEFT_V071_FIELDS } from '../lora/peft-config.js';
import { applyPeftAdapter } from '../lora/peft-load.js';
import { savePeftAdapter } from '../lora/peft-save.js';
import { useTestBackend } from '../testing/test-backend.js';
import type { EncoderModel } from './encoder-model.js';
import { loadEncoder } from './load-encoder.js';

function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < y.length; i++) {
    diff = Math.max(diff, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return diff / scale;
}

describe('LoRA on encoders (query / value, PEFT format)', function () {
  this.timeout(300_000);
  let dir: string;
  let model: EncoderModel;
  let ids: tf.Tensor2D;
  let mask: tf.Tensor2D;
  const temps: string[] = [];

  before(async function () {
    await useTestBackend();
    dir = fixturePath(this, 'hf-tiny', 'bert-tiny');
    model = (await loadEncoder(dir)).model;
    ids = tf.tensor2d(
      [
        [2, 17, 33, 9, 41, 3],
        [2, 50, 8, 3, 0, 0],
      ],
      [2, 6],
      'int32',
    );
    mask = tf.tensor2d(
      [
        [1, 1, 1, 1, 1, 1],
        [1, 1, 1, 1, 0, 0],
      ],
      [2, 6],
      'int32',
    );
  });
  after(() => {
    model?.dispose();
    tf.dispose([ids, mask]);
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  });

  it('the recipe targets q, v put adapters on attention.self.query / value only, and train only them', () => {
    const trainable = attachLora(model, loraSettings({ r: 4, alpha: 16, dropout: 0.1, targetModules: ['q', 'v'] }), 7);
    assert.deepEqual(
      [...trainable.keys()].sort(),
      [0, 1].flatMap((i) =>
        ['query', 'value'].flatMap((m) =>
          ['A', 'B'].map((ab) => `encoder.layer.${i}.attention.self.${m}.lora_${ab}.weight`),
        ),
      ),
    );
    const baseKernel = model.params.layers[0].proj.query.kernel as tf.Tensor2D;
    const baseValues = baseKernel.dataSync().slice();
    const target = tf.randomNormal([2, 6, 64], 0, 1, 'float32', 5);
    const evalLoss = () =>
      tf.tidy(() => {
        const out = model.forward(ids, mask);
        return tf.mean(tf.square(tf.sub(out.lastHiddenState, target))).dataSync()[0];
      });
    const losses: number[] = [evalLoss()];
    let live = 0;
    for (let step = 0; step < 4; step++) {
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const out = model.forward(ids, mask, null, { training: true, seed: step * 100 });
          return tf.mean(tf.square(tf.sub(out.lastHiddenState, target))) as tf.Scalar;
        });
        assert.deepEqual(Object.keys(grads).sort(), [...trainable.values()].map((v) => v.name).sort());
        for (const v of trainable.values()) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.5)));
        assert.ok(Number.isFinite(value.dataSync()[0]));
      });
      if (step === 0) live = tf.memory().numTensors;
      else assert.equal(tf.memory().numTensors, live, `live tensors constant at step ${step}`);
    }
    assert.equal(model.params.layers[0].proj.query.kernel, baseKernel, 'the base kernel is never replaced');
    assert.deepEqual(baseKernel.dataSync(), baseValues, 'and never changed');
    losses.push(evalLoss());
    assert.ok(losses[1] < losses[0], `eval loss falls: ${losses.map((l) => l.toFixed(4)).join(' -> ')}`);
    target.dispose();
  });

  it('same seed, same adapters and same dropout: two runs give the same numbers', async () => {
    const run = async () => {
      const m = (await loadEncoder(dir)).model;
      attachLora(m, loraSettings({ r: 4, alpha: 8, dropout: 0.1, targetModules: ['query', 'value'] }), 3);
      const out = m.forward(ids, mask, null, { training: true, seed: 11 });
      const data = out.lastHiddenState.dataSync().slice();
      out.lastHiddenState.dispose();
      m.dispose();
      return data;
    };
    assert.deepEqual(await run(), await run());
  });

  for (const wrapped of ['token-classification', 'bare'] as const) {
    it(`saves a ${wrapped} adapter with PEFT v0.7.1 fields and HF module names, which loads back to the same outputs`, async () => {
      const out = mkdtempSync(join(tmpdir(), 'lookright-encoder-peft-'));
      temps.push(out);
      const head =
        wrapped === 'token-classification'
          ? { weight: tf.randomNormal([5, 64], 0, 1, 'float32', 9) as tf.Tensor2D, bias: tf.zeros([5]) as tf.Tensor1D }
          : undefined;
      await savePeftAdapter(model, out, { wrappedClass: wrapped, baseModelNameOrPath: dir, head });
      const config = JSON.parse(readFileSync(join(out, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
      assert.deepEqual(Object.keys(config), [...PEFT_V071_FIELDS]);
      assert.deepEqual(config.target_modules, ['query', 'value']);
      assert.equal(config.task_type, wrapped === 'bare' ? 'FEATURE_EXTRACTION' : 'TOKEN_CLS');
      assert.deepEqual(config.modules_to_save, wrapped === 'bare' ? null : ['classifier']);
      const keys = [...readSafetensors(join(out, 'adapter_model.safetensors')).keys()].sort();
      const prefix = wrapped === 'bare' ? 'base_model.model.' : 'base_model.model.bert.';
      assert.ok(keys.includes(`${prefix}encoder.layer.1.attention.self.value.lora_B.weight`), keys.join(', '));
      assert.equal(keys.length, 2 * 2 * 2 + (head ? 2 : 0));
      if (head) assert.ok(keys.includes('base_model.model.classifier.weight'));

      const fresh = (await loadEncoder(dir)).model;
      const loaded = applyPeftAdapter(fresh, out);
      assert.equal(loaded.adaptedModules, 4);
      assert.equal(loaded.modulePrefix, wrapped === 'bare' ? '' : 'bert.');
      const a = model.forward(ids, mask);
      const b = fresh.forward(ids, mask);
      assert.ok(maxRelDiff(b.lastHiddenState, a.lastHiddenState) < 1e-6);
      tf.dispose([a.lastHiddenState, b.lastHiddenState, ...(head ? [head.weight, head.bias] : [])]);
      fresh.dispose();
    });
  }

  it('merges the adapters into the weights with the same outputs', () => {
    const before = model.forward(ids, mask);
    mergeLora(model);
    assert.ok(model.params.layers.every((l) => Object.values(l.proj).every((p) => !p.lora)));
    const after = model.forward(ids, mask);
    assert.ok(maxRelDiff(after.lastHiddenState, before.lastHiddenState) < 1e-5);
    tf.dispose([before.lastHiddenState, after.lastHiddenState]);
  });

  it('refuses an adapter whose keys name decoder modules', async function () {
    const model2 = (await loadEncoder(dir)).model;
    assert.throws(
      () => applyPeftAdapter(model2, fixturePath(this, 'peft', 'llama-tiny-lora')),
      (e: Error & { code?: string }) => e.code === 'ADAPTER_INVALID' && /match no projection/.test(e.message),
    );
    model2.dispose();
  });
});
