import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { backendMemory } from './backend-memory.js';
import { type AdamWSlot, adamwInPlaceAllowed, fusedAdamWUpdate } from './fused-adamw.js';
import { resetWasmPackedWeightFallbacks } from './kernel-registry.js';
import { nativeBackends, requireAddon, useNativeBackend, useStockBackend } from './testing/backends.js';
import { assertClose, randomFloats } from './testing/compare.js';

const config = { lr: 0.01, beta1: 0.9, beta2: 0.95, eps: 1e-5, weightDecay: 0.1 };
const SHAPE = [6, 4];
const STEPS = 3;

const gradAt = (step: number) => tf.tensor(randomFloats(24, 100 + step), SHAPE);
const initial = () => tf.tensor(randomFloats(24, 7), SHAPE);

/** PyTorch's AdamW written with tfjs ops (decoupled decay, bias-corrected moments). */
function referenceWeights(gradScale: number): Float32Array {
  return tf.tidy(() => {
    let p = initial();
    let m = tf.zerosLike(p);
    let v = tf.zerosLike(p);
    for (let t = 1; t <= STEPS; t++) {
      const g = tf.mul(gradAt(t), gradScale);
      p = tf.mul(p, 1 - config.lr * config.weightDecay);
      m = tf.add(tf.mul(m, config.beta1), tf.mul(g, 1 - config.beta1));
      v = tf.add(tf.mul(v, config.beta2), tf.mul(tf.square(g), 1 - config.beta2));
      const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(1 - config.beta2 ** t)), config.eps);
      p = tf.sub(p, tf.mul(tf.div(m, denom), config.lr / (1 - config.beta1 ** t)));
    }
    return p.dataSync() as Float32Array;
  });
}

/** A parameter variable (owning its buffer alone) and zero moments. */
function slotOf(init: tf.Tensor): AdamWSlot {
  return tf.tidy(() => ({
    param: tf.variable(init),
    m: tf.variable(tf.zerosLike(init), false),
    v: tf.variable(tf.zerosLike(init), false),
  }));
}

/** One fused update of `slot` at step `t` with the spec's hyper-parameters. */
function update(slot: AdamWSlot, grad: tf.Tensor, t: number, gradScale: number): void {
  fusedAdamWUpdate(slot, grad, { ...config, step: t, gradScale }, adamwInPlaceAllowed());
}

/** Runs STEPS fused updates; after each, x @ W must use the updated W (compared with a fresh copy). */
function nativeWeights(gradScale: number): {
  weights: Float32Array;
  staleMatmul: boolean;
  tensorsStable: boolean;
  inPlace: boolean;
} {
  const init = initial();
  const slot = slotOf(init);
  init.dispose(); // the variable now owns its buffer alone, so the in-place path is taken where allowed
  const w = slot.param;
  const x = tf.tensor(randomFloats(18, 9), [3, 6]);
  const inPlace = adamwInPlaceAllowed();
  let staleMatmul = false;
  const counts: number[] = [];
  for (let t = 1; t <= STEPS; t++) {
    tf.tidy(() => tf.matMul(x, w).dataSync()); // let any packed-weight cache see the old W
    tf.tidy(() => update(slot, gradAt(t), t, gradScale));
    const viaVariable = tf.tidy(() => tf.matMul(x, w).dataSync());
    const viaCopy = tf.tidy(() => tf.matMul(x, tf.tensor(w.dataSync(), SHAPE)).dataSync());
    staleMatmul ||= viaVariable.some((v, i) => v !== viaCopy[i]);
    counts.push(tf.memory().numTensors);
  }
  const weights = w.dataSync() as Float32Array;
  tf.dispose([slot.param, slot.m, slot.v, x]);
  return { weights, staleMatmul, tensorsStable: counts.every((c) => c === counts[0]), inPlace };
}

for (const backend of nativeBackends) {
  describe(`fusedAdamWUpdate on ${backend}`, () => {
    beforeEach(function () {
      requireAddon(this);
    });
    after(() => useStockBackend(backend));

    for (const matmul of [true, false]) {
      const path = matmul ? 'with the BLAS matmul' : 'with tfjs matmul';
      it(`matches PyTorch's AdamW formula and later matmuls see the update (${path})`, async () => {
        await useStockBackend(backend);
        const expected = referenceWeights(0.5);
        await useNativeBackend(backend, matmul);
        resetWasmPackedWeightFallbacks();
        const { weights, staleMatmul, tensorsStable, inPlace } = nativeWeights(0.5);
        assert.equal(inPlace, backend === 'cpu' || matmul, 'update path (in place vs assign)');
        assertClose(weights, expected, 'weights after 3 steps');
        assert.equal(staleMatmul, false, 'a matmul after the step read stale weights');
        assert.ok(tensorsStable, 'live tensor count changed across steps');
      });
    }
  });
}

describe('fusedAdamWUpdate never changes a tensor that shares a weight', () => {
  for (const backend of nativeBackends) {
    it(`a clone of a variable keeps its values across a step on ${backend}`, async function () {
      requireAddon(this);
      await useNativeBackend(backend);
      resetWasmPackedWeightFallbacks();
      const init = initial();
      const slot = slotOf(init);
      init.dispose();
      const snapshot = tf.clone(slot.param);
      const before = Array.from(snapshot.dataSync());
      tf.tidy(() => update(slot, gradAt(1), 1, 1));
      assert.deepEqual(Array.from(snapshot.dataSync()), before, 'the clone changed');
      assert.notDeepEqual(Array.from(slot.param.dataSync()), before, 'the variable did not change');
      tf.dispose([slot.param, slot.m, slot.v, snapshot]);
      await useStockBackend(backend);
    });
  }
});

describe('fusedAdamWUpdate propagates NaN and Inf', () => {
  for (const backend of nativeBackends) {
    it(`a NaN or infinite gradient element makes that weight NaN, and only that one, on ${backend}`, async function () {
      requireAddon(this);
      await useNativeBackend(backend);
      const init = tf.tensor([0.5, -0.25, 1, 2], [2, 2]);
      const slot = slotOf(init);
      init.dispose();
      tf.tidy(() => update(slot, tf.tensor([Number.NaN, Number.POSITIVE_INFINITY, 0.1, -0.1], [2, 2]), 1, 1));
      const [p, m, v] = [slot.param, slot.m, slot.v].map((t) => Array.from(t.dataSync()));
      assert.ok(Number.isNaN(p[0]) && Number.isNaN(p[1]), `NaN/Inf gradients gave weights ${p.slice(0, 2)}`);
      assert.ok(Number.isNaN(m[0]) && m[1] === Number.POSITIVE_INFINITY, `moment m ${m.slice(0, 2)}`);
      assert.ok(Number.isNaN(v[0]) && v[1] === Number.POSITIVE_INFINITY, `moment v ${v.slice(0, 2)}`);
      assert.ok(p.slice(2).every(Number.isFinite), `finite gradients gave weights ${p.slice(2)}`);
      tf.dispose([slot.param, slot.m, slot.v]);
      await useStockBackend(backend);
    });
  }
});

describe('XNNPACK packed-weight cache trap (why fusedAdamWUpdate assigns on stock wasm)', () => {
  it('an in-place write to a weight is invisible to the stock wasm 2-D matMul', async () => {
    await useStockBackend('wasm');
    const w = tf.variable(tf.tensor(randomFloats(24, 7), SHAPE));
    const x = tf.tensor(randomFloats(18, 9), [3, 6]);
    const before = tf.tidy(() => tf.matMul(x, w).dataSync());
    const mem = backendMemory('wasm', tf.backend());
    mem.f32(w).fill(0);
    const after = tf.tidy(() => tf.matMul(x, w).dataSync());
    tf.dispose([w, x]);
    // If this starts failing, tfjs no longer caches packed weights and in-place updates became safe.
    assert.deepEqual(Array.from(after), Array.from(before), 'stock wasm matMul now sees in-place writes');
  });
});
