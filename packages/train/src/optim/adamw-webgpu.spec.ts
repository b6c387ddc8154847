import assert from 'node:assert/strict';
import { onWebgpuTestBackend } from '@lookright/engine/testing/webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { ADAMW_CASES, ADAMW_STEPS, trainAdamW } from '../testing/adamw-cases.js';

/** The WGSL kernel against the trainer's tfjs ops on the same device: only FMA contraction may differ. */
const TOLERANCE = 1e-6;
const KERNEL = 'LookrightWebgpuAdamW';

/** Trains with the tfjs ops: the kernel unregistered for the run (AdamW then takes its tfjs path), then restored. */
async function withoutKernel<T>(f: () => Promise<T>): Promise<T> {
  const kernel = tf.getKernel(KERNEL, 'webgpu');
  assert.ok(kernel, 'startWebgpu registered the AdamW kernel');
  tf.unregisterKernel(KERNEL, 'webgpu');
  try {
    return await f();
  } finally {
    tf.registerKernel(kernel);
  }
}

describe("the trainer's AdamW on webgpu: the WGSL kernel against its tfjs ops", function () {
  this.timeout(120_000);
  onWebgpuTestBackend();

  for (const { name, config, clipNorm, poison } of ADAMW_CASES)
    it(`${ADAMW_STEPS} steps, ${name}: parameters and moments within ${TOLERANCE} (max|diff| / max|ref|), NaN and ±Infinity where tfjs has them`, async () => {
      const expected = await withoutKernel(() => trainAdamW(config, clipNorm, poison));
      const before = tf.memory().numTensors;
      const actual = await trainAdamW(config, clipNorm, poison);
      assert.equal(tf.memory().numTensors, before, 'the kernel path leaks no tensors');
      actual.bits.forEach((bits, i) => {
        const [got, ref] = [new Float32Array(bits.buffer), new Float32Array(expected.bits[i].buffer)];
        let diff = 0;
        let scale = 0;
        for (let j = 0; j < ref.length; j++) {
          if (!Number.isFinite(ref[j])) {
            const same = Object.is(got[j], ref[j]) || (Number.isNaN(got[j]) && Number.isNaN(ref[j]));
            assert.ok(same, `tensor ${i} element ${j}: ${got[j]} vs ${ref[j]}`);
            continue;
          }
          diff = Math.max(diff, Math.abs(got[j] - ref[j]));
          scale = Math.max(scale, Math.abs(ref[j]));
        }
        assert.ok(diff <= TOLERANCE * scale, `tensor ${i} differs by ${diff / scale} of its largest element`);
      });
      if (poison) assert.ok(new Float32Array(actual.bits[0].buffer).slice(5, 8).every(Number.isNaN));
    });
});
