import assert from 'node:assert/strict';
import { causal } from '@lookright/core';
import { fixturePath } from '@lookright/test-support/fixtures';
import * as tf from '@tensorflow/tfjs-core';
import { defaultPoolBytes, setWebgpuPoolBytes } from '../backend/webgpu-guard.js';
import type { PooledBufferManager } from '../backend/webgpu-pool.js';
import { countParameters } from '../io/checkpoint-load.js';
import { checkpointWeightFiles } from '../io/checkpoint-weights.js';
import { attachLora } from '../lora/attach-lora.js';
import { loraSettings } from '../lora/lora-settings.js';
import { packFrozenWeights } from '../lora/pack-frozen-weights.js';
import { isPackedKernel, type PackedKernel } from '../ops/packed-kernel.js';
import { useTestBackend } from '../testing/test-backend.js';
import { onWebgpuTestBackend } from '../testing/webgpu-test-backend.js';
import type { DecoderModel } from './decoder-model.js';
import { projectionNames } from './decoder-params.js';
import { loadDecoder } from './load-decoder.js';

const refused = (e: unknown) => e instanceof Error && (e as { code?: string }).code === 'WEIGHT_STORAGE_UNSUPPORTED';

/** Every projection kernel of the model, layer by layer. */
const kernelsOf = (model: DecoderModel) =>
  model.params.layers.flatMap((l) => projectionNames.map((p) => l.proj[p].kernel));

/** Runs `body` while recording the most GPU buffer bytes allocated at once above what was allocated before it. */
async function peakGpuBytes(body: () => Promise<void>): Promise<number> {
  const manager = (tf.backend() as unknown as { bufferManager: PooledBufferManager }).bufferManager;
  setWebgpuPoolBytes(0); // freed buffers are destroyed at once: allocated bytes are live bytes
  const start = manager.numBytesAllocated;
  let peak = start;
  const acquire = manager.acquireBuffer;
  manager.acquireBuffer = (...args) => {
    const buffer = acquire.apply(manager, args);
    peak = Math.max(peak, manager.numBytesAllocated);
    return buffer;
  };
  try {
    await body();
  } finally {
    manager.acquireBuffer = acquire;
    setWebgpuPoolBytes(defaultPoolBytes());
  }
  return peak - start;
}

/** One forward pass (every weight reaches the GPU), read back. */
async function forwardOnce(model: DecoderModel): Promise<void> {
  const ids = tf.tensor2d([[1, 2, 3, 4, 5, 6]], undefined, 'int32');
  const mask = tf.onesLike(ids);
  const out = model.forward(ids, mask, Array(model.numLayers).fill(causal));
  await out.lastHiddenState.data();
  tf.dispose([ids, mask, out.lastHiddenState]);
}

describe('loading a decoder with 16-bit frozen weights (loadDecoder weightStorage)', function () {
  this.timeout(300_000);

  it('refuses on a backend without the 16-bit matmul before reading the checkpoint', async function () {
    await useTestBackend();
    await assert.rejects(loadDecoder(fixturePath(this, 'hf-tiny', 'llama-tiny'), { weightStorage: 'bf16' }), refused);
  });

  describe('on webgpu', () => {
    onWebgpuTestBackend();

    it('packs every projection on the CPU to the same words as packing the f32 kernels after loading; LoRA attaches', async function () {
      const dir = fixturePath(this, 'hf-tiny', 'mistral-tiny');
      const { model: staged } = await loadDecoder(dir, { backend: 'webgpu' });
      const { model: packed } = await loadDecoder(dir, { backend: 'webgpu', weightStorage: 'bf16' });
      try {
        assert.equal(await packFrozenWeights(staged, 'bf16'), staged.numLayers * 7);
        const ours = kernelsOf(packed);
        const theirs = kernelsOf(staged) as PackedKernel[];
        assert.ok(ours.every(isPackedKernel), 'every projection kernel arrives packed');
        for (const [i, kernel] of ours.entries()) {
          assert.deepEqual(kernel.shape, theirs[i].shape);
          assert.equal(kernel.format, 'bf16');
          assert.deepEqual(await kernel.words.data(), await theirs[i].words.data(), `kernel ${i}: packed words`);
        }
        assert.equal(await packFrozenWeights(packed, 'bf16'), 0, 'nothing left to pack');
        const trainable = attachLora(packed, loraSettings({ r: 4, alpha: 8, targetModules: ['q', 'v', 'down'] }), 1);
        assert.equal(trainable.size, packed.numLayers * 3 * 2);
        assert.ok([...trainable.values()].every((v) => v.trainable && v.dtype === 'float32'));
        assert.deepEqual(packed.params.layers[0].proj.down_proj.lora!.a.shape, [packed.config.intermediateSize, 4]);
      } finally {
        staged.dispose();
        packed.dispose();
      }
    });

    it('holds fewer GPU buffer bytes at its peak than the f32 weights, and than loading in f32 then packing', async function () {
      const dir = fixturePath(this, 'hf-tiny', 'llama-tiny');
      const f32Bytes = countParameters(checkpointWeightFiles(dir).files) * 4;
      const measure = (viaF32: boolean) =>
        peakGpuBytes(async () => {
          const options = viaF32 ? { backend: 'webgpu' } : { backend: 'webgpu', weightStorage: 'bf16' as const };
          const { model } = await loadDecoder(dir, options);
          if (viaF32) await packFrozenWeights(model, 'bf16');
          await forwardOnce(model);
          model.dispose();
        });
      const staged = await measure(true);
      const packed = await measure(false);
      console.log(
        `      llama-tiny bf16, load (+ pack) + one forward, peak GPU buffer bytes: ${packed} packed at load, ${staged} loaded in f32 then packed; all weights in f32: ${f32Bytes}`,
      );
      assert.ok(packed < f32Bytes, `${packed} < f32 weights ${f32Bytes}`);
      assert.ok(packed < staged, `${packed} < staged ${staged}`);
    });
  });
});
