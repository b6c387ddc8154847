import assert from 'node:assert/strict';
import { LookrightError } from '@lookright/core';
import { fixturePath } from '@lookright/test-support/fixtures';
import * as tf from '@tensorflow/tfjs-core';
import { loadDecoder } from '../decoder/load-decoder.js';
import { isPackedKernel } from '../ops/packed-kernel.js';
import { useTestBackend } from '../testing/test-backend.js';
import { onWebgpuTestBackend } from '../testing/webgpu-test-backend.js';
import { attachLora, mergeLora } from './attach-lora.js';
import { loraSettings } from './lora-settings.js';
import { packFrozenWeights } from './pack-frozen-weights.js';

const refused = (e: unknown) => e instanceof LookrightError && e.code === 'WEIGHT_STORAGE_UNSUPPORTED';

describe('frozen weights in 16 bits (packFrozenWeights)', function () {
  this.timeout(120_000);

  it('refuses on a backend without the 16-bit matmul, changing nothing', async function () {
    await useTestBackend();
    const { model } = await loadDecoder(fixturePath(this, 'hf-tiny', 'llama-tiny'));
    try {
      await assert.rejects(packFrozenWeights(model, 'bf16'), refused);
      assert.ok(!isPackedKernel(model.params.layers[0].proj.q_proj.kernel));
    } finally {
      model.dispose();
    }
  });

  describe('on webgpu', () => {
    onWebgpuTestBackend();

    it('packs every frozen projection, keeps LoRA trainable in f32, and refuses to train or merge a packed weight', async function () {
      const { model } = await loadDecoder(fixturePath(this, 'hf-tiny', 'llama-tiny'), { backend: 'webgpu' });
      try {
        const before = tf.memory().numBytes;
        const trainable = attachLora(model, loraSettings({ r: 4, alpha: 8, targetModules: ['q', 'v'] }), 1);
        const loraBytes = tf.memory().numBytes - before;
        assert.equal(await packFrozenWeights(model, 'f16'), model.numLayers * 7);
        const layer = model.params.layers[0];
        assert.ok(isPackedKernel(layer.proj.q_proj.kernel) && isPackedKernel(layer.proj.down_proj.kernel));
        assert.ok([...trainable.values()].every((v) => v.trainable && v.dtype === 'float32' && !v.isDisposed));
        const { hiddenSize: h, intermediateSize: m, numHeads, numKvHeads, headDim } = model.config;
        const projections = 2 * h * numHeads * headDim + 2 * h * numKvHeads * headDim + 3 * h * m;
        // the f32 kernels are freed: half their bytes remain (the widths here are even, so no padded halves)
        assert.equal(before + loraBytes - tf.memory().numBytes, model.numLayers * projections * 2);
        assert.equal(await packFrozenWeights(model, 'f16'), 0, 'already packed: nothing to do');
        assert.throws(() => model.setTrainable((name) => name.endsWith('q_proj.weight')), refused);
        assert.throws(() => mergeLora(model), refused);
      } finally {
        model.dispose();
      }
    });
  });
});
