import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { startWasm } from '../backend/wasm-backend.js';
import '../ops/stock-gradients.js';
import { batchedMatMul } from './batched-matmul.js';
import { runsWasmBatchLoop, wasmBlockedMatMul, wasmOwnBatchMatMul } from './wasm-blocked-matmul.js';

function rand(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

/** Bitwise equality of two float32 tensors (Object.is per element, so -0 vs +0 and NaN are told apart). */
function assertSameBits(got: tf.Tensor, want: tf.Tensor, what: string): void {
  assert.deepEqual(got.shape, want.shape, `${what}: shape`);
  const [g, w] = [got.dataSync(), want.dataSync()];
  for (let i = 0; i < w.length; i++) {
    if (!Object.is(g[i], w[i])) assert.fail(`${what}: element ${i} is ${g[i]}, tf.matMul gives ${w[i]}`);
  }
}

describe('wasmBlockedMatMul: wasm batched matMuls through XNNPACK, bit-identical', () => {
  let previous: string | undefined;
  // a spec run earlier in this process may have left another BatchMatMul (the native addon's) installed on wasm:
  // compare against wasm's own loop, and put the other kernel back afterwards
  let replaced: tf.KernelConfig | undefined;
  before(async () => {
    previous = tf.getBackend();
    await startWasm();
    const installed = tf.getKernel(tf.BatchMatMul, 'wasm');
    assert.ok(installed && wasmOwnBatchMatMul);
    if (installed.kernelFunc !== wasmOwnBatchMatMul) {
      replaced = installed;
      tf.unregisterKernel(tf.BatchMatMul, 'wasm');
      tf.registerKernel({ kernelName: tf.BatchMatMul, backendName: 'wasm', kernelFunc: wasmOwnBatchMatMul });
    }
  });
  after(async () => {
    if (replaced) {
      tf.unregisterKernel(tf.BatchMatMul, 'wasm');
      tf.registerKernel(replaced);
    }
    if (previous) await tf.setBackend(previous);
  });

  // inner sizes below, at, between and above multiples of the loop's 48-term block; rank 3 and 4; odd M and N
  for (const [aShape, bShape] of [
    [
      [64, 64, 64],
      [64, 64, 64],
    ],
    [
      [3, 50, 20],
      [3, 20, 49],
    ],
    [
      [4, 7, 48],
      [4, 48, 5],
    ],
    [
      [8, 30, 100],
      [8, 100, 17],
    ],
    [
      [2, 3, 70, 97],
      [2, 3, 97, 33],
    ],
    [
      [2, 128, 128],
      [2, 128, 128],
    ],
  ]) {
    it(`[${aShape}] @ [${bShape}] equals tf.matMul bit for bit`, () => {
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const a = rand(aShape, 1);
        const b = rand(bShape, 2);
        assertSameBits(wasmBlockedMatMul(a, b), tf.matMul(a, b), 'product');
      });
      assert.equal(tf.memory().numTensors, before);
    });
  }

  it('batchedMatMul takes the blocked route and keeps value and gradients bit-identical to stock autodiff', () => {
    tf.tidy(() => {
      const a = tf.variable(rand([2, 4, 64, 64], 3), true, 'blocked_a');
      const b = tf.variable(rand([2, 4, 64, 80], 4), true, 'blocked_b');
      const w = rand([2, 4, 64, 80], 5);
      assert.equal(runsWasmBatchLoop(a, b), true);
      const loss = (f: () => tf.Tensor) => tf.variableGrads(() => tf.sum(tf.mul(f(), w)) as tf.Scalar, [a, b]);
      const ours = loss(() => batchedMatMul(a, b));
      const stock = loss(() => tf.matMul(a, b));
      assertSameBits(ours.value, stock.value, 'loss');
      assertSameBits(ours.grads[a.name], stock.grads[a.name], 'dA');
      assertSameBits(ours.grads[b.name], stock.grads[b.name], 'dB');
      tf.dispose([a, b]);
    });
  });

  it('is not used for one batch entry, unequal batch dims or small products', () => {
    tf.tidy(() => {
      assert.equal(runsWasmBatchLoop(rand([1, 64, 64], 1), rand([1, 64, 64], 2)), false);
      assert.equal(runsWasmBatchLoop(rand([64, 64], 1), rand([64, 64], 2)), false);
      assert.equal(runsWasmBatchLoop(rand([4, 64, 64], 1), rand([1, 64, 64], 2)), false);
      assert.equal(runsWasmBatchLoop(rand([4, 8, 8], 1), rand([4, 8, 8], 2)), false);
      assert.equal(runsWasmBatchLoop(rand([4, 64, 64], 1), rand([4, 64, 64], 2)), true);
    });
  });

  it('is not used once another BatchMatMul kernel (e.g. the native addon) replaces wasm own', () => {
    const own = tf.getKernel(tf.BatchMatMul, 'wasm');
    assert.ok(own);
    tf.unregisterKernel(tf.BatchMatMul, 'wasm');
    tf.registerKernel({ ...own, kernelFunc: (args) => own.kernelFunc(args) });
    try {
      tf.tidy(() => assert.equal(runsWasmBatchLoop(rand([4, 64, 64], 1), rand([4, 64, 64], 2)), false));
    } finally {
      tf.unregisterKernel(tf.BatchMatMul, 'wasm');
      tf.registerKernel(own);
    }
    tf.tidy(() => assert.equal(runsWasmBatchLoop(rand([4, 64, 64], 1), rand([4, 64, 64], 2)), true));
  });
});
