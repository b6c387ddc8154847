import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BatchMatMul, backend, getKernel, matMul, tensor, tidy, version_core } from '@tensorflow/tfjs-core';
import { assertBackendLayout, PINNED_TFJS } from './backend-memory.js';
import { disableNative, enableNative, nativeKernelActive, resetNativeNote } from './enable-native.js';
import { loadAddon, missingAddonFunctions } from './native-addon.js';
import { nativeBackends, requireAddon, useNativeBackend, useStockBackend } from './testing/backends.js';

describe('native guard: tfjs private fields the addon reads', () => {
  it('tfjs packages are pinned to the exact version the addon is written for', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-cpu']) {
      assert.equal(pkg.dependencies[name], PINNED_TFJS, `${name} must be pinned exactly`);
    }
    assert.equal(version_core, PINNED_TFJS, 'installed tfjs-core differs from the pinned version');
  });

  for (const name of nativeBackends) {
    it(`the real ${name} backend has the fields (dataIdMap/memoryOffset/HEAPU8 or data/values)`, async () => {
      await useStockBackend(name);
      assert.doesNotThrow(() => assertBackendLayout(name, backend()));
    });
  }

  it('fails loudly, naming the field, when a field is gone', () => {
    const wasmWithoutHeap = { dataIdMap: { get: () => undefined }, wasm: {}, makeOutput: () => undefined };
    assert.throws(
      () => assertBackendLayout('wasm', wasmWithoutHeap),
      (err: Error & { code?: string }) => err.code === 'NATIVE_BACKEND_LAYOUT' && /wasm\.HEAPU8/.test(err.message),
    );
    assert.throws(() => assertBackendLayout('cpu', { makeTensorInfo: () => undefined }), /data\.get/);
  });
});

describe('enableNative', () => {
  afterEach(() => disableNative());

  it('without the addon: stays on tfjs kernels and says once how to enable native acceleration', async () => {
    await useStockBackend('wasm');
    resetNativeNote();
    const lines: string[] = [];
    const missing = '/nonexistent/lookright_native.node';
    const first = enableNative({ ignoreEnv: true, addonFile: missing, log: (l) => lines.push(l) });
    const second = enableNative({ ignoreEnv: true, addonFile: missing, log: (l) => lines.push(l) });
    assert.equal(first.enabled, false);
    assert.equal(second.enabled, false);
    assert.equal(lines.length, 1, 'the note is printed once per process');
    assert.match(lines[0], /libopenblas-dev/);
    assert.equal(nativeKernelActive(BatchMatMul), false);
  });

  it('an addon built from older sources (a function missing) is refused by name, so no kernel call can throw', function () {
    requireAddon(this);
    const loaded = loadAddon();
    assert.ok(loaded.ok);
    assert.deepEqual(missingAddonFunctions(loaded.addon), []);
    const { binaryF32: _dropped, ...older } = loaded.addon;
    assert.deepEqual(missingAddonFunctions(older), ['binaryF32']);
  });

  it('LOOKRIGHT_NATIVE=0 disables it', async () => {
    await useStockBackend('wasm');
    const saved = process.env.LOOKRIGHT_NATIVE;
    process.env.LOOKRIGHT_NATIVE = '0';
    try {
      const status = enableNative({ log: () => {} });
      assert.deepEqual(status, { enabled: false, reason: 'LOOKRIGHT_NATIVE=0' });
      assert.equal(nativeKernelActive(BatchMatMul), false);
    } finally {
      if (saved === undefined) delete process.env.LOOKRIGHT_NATIVE;
      else process.env.LOOKRIGHT_NATIVE = saved;
    }
  });

  it('OpenBLAS uses the SkylakeX kernels on AVX-512 CPUs unless LOOKRIGHT_BLAS_CORETYPE says otherwise', async function () {
    requireAddon(this);
    await useStockBackend('wasm');
    const status = enableNative({ ignoreEnv: true, log: () => {} });
    assert.equal(status.enabled, true);
    const avx512 = /^flags\s*:.*\bavx512f\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
    if (!avx512 || process.env.LOOKRIGHT_BLAS_CORETYPE) this.skip();
    if (status.enabled) assert.match(status.blas, /SkylakeX/);
  });

  it('BLAS matmul rows do not depend on their position (the mask audit compares rows exactly)', async function () {
    requireAddon(this);
    await useNativeBackend('wasm');
    const status = enableNative({ ignoreEnv: true, log: () => {} });
    if (!status.enabled || !/SkylakeX/.test(status.blas)) this.skip(); // other kernels make no such promise
    for (const [k, n] of [
      [64, 172],
      [256, 688],
      [688, 256],
    ]) {
      const row = Array.from({ length: k }, (_, i) => Math.cos(i * 1.3));
      const w = tensor(
        Array.from({ length: k * n }, (_, i) => Math.sin(i * 0.37)),
        [k, n],
      );
      for (const m of [1, 7, 16, 33, 64]) {
        const out = tidy(() => matMul(tensor(Array.from({ length: m }, () => row).flat(), [m, k]), w).dataSync());
        for (let r = 1; r < m; r++) {
          for (let j = 0; j < n; j++) assert.equal(out[r * n + j], out[j], `row ${r} of ${m} (k ${k}, n ${n})`);
        }
      }
      w.dispose();
    }
    await useStockBackend('wasm');
  });

  for (const name of nativeBackends) {
    it(`replaces ${name}'s BatchMatMul and restores it on disable`, async function () {
      requireAddon(this);
      await useStockBackend(name);
      const stock = getKernel(BatchMatMul, name);
      await useNativeBackend(name);
      assert.notEqual(getKernel(BatchMatMul, name)?.kernelFunc, stock?.kernelFunc);
      assert.equal(nativeKernelActive(BatchMatMul), true);
      disableNative();
      assert.equal(getKernel(BatchMatMul, name)?.kernelFunc, stock?.kernelFunc);
    });
  }
});
