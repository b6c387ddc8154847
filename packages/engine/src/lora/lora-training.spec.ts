import assert from 'node:assert/strict';
import { causal } from '@lookright/core';
import { fixturePath } from '@lookright/test-support/fixtures';
import * as tf from '@tensorflow/tfjs-core';
import type { DecoderModel } from '../decoder/decoder-model.js';
import { loadDecoder } from '../decoder/load-decoder.js';
import { useTestBackend } from '../testing/test-backend.js';
import { attachLora } from './attach-lora.js';
import { loraSettings } from './lora-settings.js';

describe('LoRA training', function () {
  this.timeout(300_000);
  let model: DecoderModel;
  before(async function () {
    await useTestBackend();
    model = (await loadDecoder(fixturePath(this, 'hf-tiny', 'llama-tiny'))).model;
  });
  after(() => model?.dispose());

  it('trains only the adapters; base weights stay the same tensors with the same values', () => {
    const settings = loraSettings({ r: 4, alpha: 16, dropout: 0.1, targetModules: ['q', 'v'] });
    const trainable = attachLora(model, settings, 42);
    assert.equal(trainable.size, model.numLayers * 2 * 2);
    assert.ok([...trainable.keys()].every((k) => /layers\.\d\.self_attn\.[qv]_proj\.lora_[AB]\.weight/.test(k)));
    const baseKernel = model.params.layers[0].proj.q_proj.kernel as tf.Tensor2D;
    const baseValues = baseKernel.dataSync().slice();
    const ids = tf.tensor2d([[1, 7, 9, 3, 2, 0]], [1, 6], 'int32');
    const mask = tf.tensor2d([[1, 1, 1, 1, 1, 0]], [1, 6], 'int32');
    const specs = Array.from({ length: model.numLayers }, () => causal);
    const target = tf.randomNormal([1, 6, 64], 0, 1, 'float32', 3);
    const losses: number[] = [];
    let liveAfterFirst = 0;
    for (let step = 0; step < 4; step++) {
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const out = model.forward(ids, mask, specs, { training: true, seed: step * 1000 });
          return tf.mean(tf.square(tf.sub(out.lastHiddenState, target))) as tf.Scalar;
        });
        assert.deepEqual(Object.keys(grads).sort(), [...trainable.values()].map((v) => v.name).sort());
        for (const v of trainable.values()) v.assign(tf.sub(v, tf.mul(grads[v.name], 0.05)));
        losses.push(value.dataSync()[0]);
      });
      if (step === 0) liveAfterFirst = tf.memory().numTensors;
      else assert.equal(tf.memory().numTensors, liveAfterFirst, `live tensors constant at step ${step}`);
    }
    assert.equal(model.params.layers[0].proj.q_proj.kernel, baseKernel, 'the base kernel is never replaced');
    assert.deepEqual(baseKernel.dataSync(), baseValues, 'and never changed');
    assert.ok(losses[3] < losses[0], `loss falls: ${losses.map((l) => l.toFixed(4)).join(' ')}`);
    tf.dispose([ids, mask, target]);
  });

  it('LoRA dropout is deterministic: same seed, same output; another seed, another output', () => {
    const ids = tf.tensor2d([[1, 7, 9, 3]], [1, 4], 'int32');
    const mask = tf.onesLike(ids) as tf.Tensor2D;
    const specs = Array.from({ length: model.numLayers }, () => causal);
    for (const layer of model.params.layers) {
      const lora = layer.proj.q_proj.lora!;
      tf.tidy(() => (lora.b as tf.Variable).assign(tf.randomNormal(lora.b.shape, 0, 0.5, 'float32', 11)));
    }
    const run = (seed: number, training = true) =>
      tf.tidy(() => model.forward(ids, mask, specs, { training, seed }).lastHiddenState.dataSync());
    assert.deepEqual(run(5), run(5));
    assert.notDeepEqual(run(5), run(6));
    assert.deepEqual(run(5, false), run(6, false), 'no dropout in eval');
    tf.dispose([ids, mask]);
  });

  it('rejects unknown target modules and bad ranks', () => {
    assert.throws(() => loraSettings({ r: 4, alpha: 8, targetModules: ['qkv'] }), /target_modules/);
    assert.throws(() => loraSettings({ r: 0, alpha: 8, targetModules: ['q'] }), /r = 0/);
  });
});
