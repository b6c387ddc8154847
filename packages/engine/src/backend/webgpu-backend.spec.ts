import assert from 'node:assert/strict';
import { LookrightError } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import { useTestBackend } from '../testing/test-backend.js';
import { useWebgpuTestBackend } from '../testing/webgpu-test-backend.js';
import { formatBackendLine } from './backend-description.js';
import { checkIdsInRange, hostValues } from './check-ids.js';
import { selectBackend } from './select-backend.js';
import { requestWebgpuAdapter, softwareAdapterRequested } from './webgpu-adapter.js';
import { clearWebgpuFailure, defaultPoolBytes, setWebgpuPoolBytes } from './webgpu-guard.js';

const isCode = (code: string) => (e: unknown) => e instanceof LookrightError && e.code === code;

describe('webgpu backend', function () {
  this.timeout(120_000);

  it('without LOOKRIGHT_WEBGPU_ADAPTER, uses a hardware adapter or refuses with a typed error naming what is missing', async () => {
    try {
      const found = await requestWebgpuAdapter(false);
      assert.equal(found.description.kind, 'hardware');
    } catch (e) {
      assert.ok(e instanceof LookrightError, String(e));
      assert.ok(['WEBGPU_LIBRARY_MISSING', 'WEBGPU_NO_ADAPTER', 'BACKEND_NOT_INSTALLED'].includes(e.code), e.code);
      assert.match(e.hint ?? '', /install|LOOKRIGHT_WEBGPU_ADAPTER=software|GPU/i);
    }
  });

  it('reads the pool cap from LOOKRIGHT_WEBGPU_POOL_MIB (512 MiB by default)', () => {
    assert.equal(defaultPoolBytes({}), 512 * 2 ** 20);
    assert.equal(defaultPoolBytes({ LOOKRIGHT_WEBGPU_POOL_MIB: '64' }), 64 * 2 ** 20);
  });

  describe('on an adapter (software with LOOKRIGHT_WEBGPU_ADAPTER=software)', () => {
    before(async function () {
      await useWebgpuTestBackend(this);
    });
    after(async () => {
      setWebgpuPoolBytes(defaultPoolBytes());
      await useTestBackend();
    });

    it('describes the adapter for the run log: kind, device, limits, features', async () => {
      const d = await selectBackend('webgpu');
      assert.equal(d.name, 'webgpu');
      assert.equal(d.tfjsBackend, 'webgpu');
      assert.equal(d.adapter?.kind, softwareAdapterRequested() ? 'software' : 'hardware');
      assert.ok((d.adapter?.limits.maxStorageBufferBindingSize ?? 0) >= 2 ** 27);
      const line = formatBackendLine(d);
      assert.match(line, /^backend webgpu \(@tensorflow\/tfjs-backend-webgpu@4\.22\.0/);
      assert.match(
        line,
        /\nwebgpu adapter: (software|hardware), .*; dawn \w+.*maxStorageBufferBindingSize \d+ MiB, maxBufferSize \d+ MiB; features: /,
      );
    });

    it('multiplies matrices as a float64 reference does', async () => {
      const a = Array.from({ length: 7 * 33 }, (_, i) => Math.sin(i));
      const b = Array.from({ length: 33 * 5 }, (_, i) => Math.cos(i));
      const c = tf.tidy(() => tf.matMul(tf.tensor2d(a, [7, 33]), tf.tensor2d(b, [33, 5])));
      const values = await c.data();
      c.dispose();
      for (let i = 0; i < 7; i++)
        for (let j = 0; j < 5; j++) {
          let sum = 0;
          for (let k = 0; k < 33; k++) sum += a[i * 33 + k] * b[k * 5 + j];
          assert.ok(Math.abs(values[i * 5 + j] - sum) < 1e-4, `[${i},${j}] ${values[i * 5 + j]} vs ${sum}`);
        }
    });

    it('refuses a tensor over maxStorageBufferBindingSize with a typed error, never a number', async () => {
      const limit = (await selectBackend('webgpu')).adapter!.limits.maxStorageBufferBindingSize;
      const before = tf.memory().numTensors;
      const over = limit / 4 + 1024;
      await assert.rejects(async () => {
        const t = tf.tidy(() => tf.add(tf.fill([over], 1), 1));
        return t.data();
      }, isCode('WEBGPU_BUFFER_TOO_LARGE'));
      assert.equal(tf.memory().numTensors, before, 'nothing left behind');
      const ok = tf.tidy(() => tf.sum(tf.add(tf.fill([1024], 1), 1)));
      assert.equal((await ok.data())[0], 2048, 'the backend still computes afterwards');
      ok.dispose();
    });

    it('turns a provoked device validation error into WEBGPU_DEVICE_ERROR at the next read', async () => {
      const device = (tf.backend() as unknown as { device: GPUDevice }).device;
      device.createBuffer({ size: 2 ** 40, usage: GPUBufferUsage.STORAGE });
      const t = tf.tidy(() => tf.add(tf.fill([4096], 1), 1));
      try {
        await assert.rejects(
          t.data(),
          (e: unknown) => isCode('WEBGPU_DEVICE_ERROR')(e) && /validation/.test(String(e)),
        );
        await assert.rejects(t.data(), isCode('WEBGPU_DEVICE_ERROR'), 'every later read refuses too');
      } finally {
        t.dispose();
        clearWebgpuFailure();
      }
    });

    it('refuses token ids out of range when they live on the GPU, at the next read', async () => {
      const ids = tf.tidy(() =>
        tf.add(
          tf.tensor2d(
            Array.from({ length: 4096 }, (_, i) => i % 7),
            [1, 4096],
            'int32',
          ),
          0,
        ),
      );
      assert.equal(hostValues(ids), undefined, 'ids are GPU-resident: no synchronous read');
      checkIdsInRange(ids, 7, () => new Error('unexpected'));
      const fine = tf.sum(ids);
      assert.equal(
        (await fine.data())[0],
        Array.from({ length: 4096 }, (_, i) => i % 7).reduce((a, b) => a + b),
      );
      checkIdsInRange(
        ids,
        6,
        (value) => new LookrightError('MODEL_INPUTS_INVALID', `id ${value ?? 'a value'} out of range`),
      );
      await assert.rejects(fine.data(), isCode('MODEL_INPUTS_INVALID'));
      tf.dispose([ids, fine]);
    });

    it('keeps at most the pool cap of freed GPU buffers (tfjs alone keeps every one)', async () => {
      const pooled = () => tf.memory() as tf.MemoryInfo & { numBytesInGPU: number; numBytesAllocatedInGPU: number };
      const churn = async (sizes: number) => {
        for (let n = 0; n < sizes; n++) {
          const t = tf.tidy(() => tf.add(tf.fill([65536 + 256 * n], 1), 1));
          await t.data();
          t.dispose();
        }
        const m = pooled();
        return m.numBytesAllocatedInGPU - m.numBytesInGPU;
      };
      setWebgpuPoolBytes(2 ** 20);
      assert.ok((await churn(24)) <= 2 ** 20, 'capped at 1 MiB');
      setWebgpuPoolBytes(Number.POSITIVE_INFINITY);
      assert.ok((await churn(24)) > 4 * 2 ** 20, 'uncapped, the 24 distinct sizes stay pooled');
    });

    it('returns the least recently freed buffers first, so the sizes in use now stay pooled and are reused', async () => {
      const device = (tf.backend() as unknown as { device: GPUDevice }).device;
      const createBuffer = device.createBuffer.bind(device);
      let created = 0;
      device.createBuffer = (descriptor) => {
        if ((descriptor.usage & GPUBufferUsage.STORAGE) !== 0) created++;
        return createBuffer(descriptor);
      };
      // one round: 4 tensors of distinct sizes near 256 KiB (plus a same-size temporary each), freed after a read
      const round = async (base: number) => {
        for (let n = 0; n < 4; n++) {
          const t = tf.tidy(() => tf.add(tf.fill([base + 1024 * n], 1), 1));
          await t.data();
          t.dispose();
        }
      };
      const memory = () => tf.memory() as tf.MemoryInfo & { numBytesInGPU: number; numBytesAllocatedInGPU: number };
      try {
        setWebgpuPoolBytes(0);
        setWebgpuPoolBytes(6 * 2 ** 20); // room for one round's sizes, not two
        await round(65536); // sizes A
        await round(81920); // sizes B: the pool must give A back to keep B
        created = 0;
        await round(81920);
        assert.equal(created, 0, 'the sizes used last came from the pool');
        await round(65536);
        assert.ok(created > 0, 'sizes A had been returned');
        const m = memory();
        assert.ok(m.numBytesAllocatedInGPU - m.numBytesInGPU <= 6 * 2 ** 20, 'pooled bytes stay under the cap');
      } finally {
        device.createBuffer = createBuffer;
      }
    });
  });
});
