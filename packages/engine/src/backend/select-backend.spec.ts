import assert from 'node:assert/strict';
import { LookrightError } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import { formatBackendLine, isBackendName } from './backend-description.js';
import { isPackageInstalled } from './native-tfjs.js';
import { resolveAuto, selectBackend } from './select-backend.js';

/** A fixed pseudo-random matrix (LCG), so both backends multiply the same numbers. */
function matrix(rows: number, cols: number, seed: number): Float32Array {
  const out = new Float32Array(rows * cols);
  let state = seed;
  for (let i = 0; i < out.length; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    out[i] = state / 2 ** 32 - 0.5;
  }
  return out;
}

async function matmulOn(backend: 'wasm' | 'cpu'): Promise<Float32Array> {
  const description = await selectBackend(backend);
  assert.equal(tf.getBackend(), backend);
  assert.equal(description.tfjsBackend, backend);
  const before = tf.memory().numTensors;
  const result = tf.tidy(() =>
    tf.matMul(tf.tensor2d(matrix(7, 33, 1), [7, 33]), tf.tensor2d(matrix(33, 5, 2), [33, 5])),
  );
  const values = (await result.data()) as Float32Array;
  result.dispose();
  assert.equal(tf.memory().numTensors, before);
  return values;
}

describe('selectBackend', () => {
  after(async () => {
    await selectBackend('wasm');
  });

  it('starts wasm and cpu, whose matMul results agree, and each matches a float64 reference', async () => {
    const wasm = await matmulOn('wasm');
    const cpu = await matmulOn('cpu');
    const a = matrix(7, 33, 1);
    const b = matrix(33, 5, 2);
    for (let i = 0; i < wasm.length; i++) assert.ok(Math.abs(wasm[i] - cpu[i]) < 1e-6, `wasm vs cpu at ${i}`);
    for (let i = 0; i < 7; i++)
      for (let j = 0; j < 5; j++) {
        let sum = 0;
        for (let k = 0; k < 33; k++) sum += a[i * 33 + k] * b[k * 5 + j];
        assert.ok(Math.abs(wasm[i * 5 + j] - sum) < 1e-5, `wasm [${i},${j}]`);
        assert.ok(Math.abs(cpu[i * 5 + j] - sum) < 1e-5, `cpu [${i},${j}]`);
      }
  });

  it('describes the wasm backend for the run log', async () => {
    const d = await selectBackend('wasm');
    assert.equal(d.name, 'wasm');
    assert.equal(d.native, false);
    assert.equal(d.package, '@tensorflow/tfjs-backend-wasm@4.22.0');
    assert.equal(typeof d.simd, 'boolean');
    assert.ok(d.threads >= 1);
    assert.ok((d.heapLimitBytes ?? 0) > 3 * 2 ** 30);
    assert.match(
      formatBackendLine(d),
      /^backend wasm \(@tensorflow\/tfjs-backend-wasm@4\.22\.0, (no )?simd, 1 thread, native off; requested\)$/,
    );
  });

  it('resolves auto along gpu -> tfjs-node -> wasm with what is installed here', () => {
    const { name, reason } = resolveAuto('auto');
    if (!isPackageInstalled('@tensorflow/tfjs-node-gpu') && !isPackageInstalled('@tensorflow/tfjs-node')) {
      assert.equal(name, 'wasm');
      assert.match(reason, /tfjs-node-gpu not installed; no hardware WebGPU adapter \(.*\); tfjs-node not installed/);
    } else assert.notEqual(name, 'wasm');
  });

  it('refuses tensorflow and tensorflow-gpu when not installed, saying how to install them', async function () {
    if (isPackageInstalled('@tensorflow/tfjs-node') || isPackageInstalled('@tensorflow/tfjs-node-gpu')) this.skip();
    await assert.rejects(
      selectBackend('tensorflow'),
      (e: unknown) =>
        e instanceof LookrightError &&
        e.code === 'BACKEND_NOT_INSTALLED' &&
        e.message.includes('@tensorflow/tfjs-node') &&
        /pnpm add .*@tensorflow\/tfjs-node@4\.22\.0/.test(e.hint ?? ''),
    );
    await assert.rejects(
      selectBackend('tensorflow-gpu'),
      (e: unknown) => e instanceof LookrightError && /CUDA 11\.2 and cuDNN 8\.1/.test(e.hint ?? ''),
    );
  });

  it('knows the --backend names', () => {
    assert.ok(isBackendName('tensorflow-gpu'));
    assert.ok(!isBackendName('webgl'));
  });
});
