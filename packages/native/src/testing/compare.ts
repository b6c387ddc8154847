import assert from 'node:assert/strict';
import { SeededRng } from '@lookright/core';
import type { Tensor } from '@tensorflow/tfjs-core';

/** Tolerance of native vs tfjs kernels (no fast-math): max|a-b| / max|b| <= 1e-5. */
export const REL_TOL = 1e-5;

/** Asserts max|actual-expected| <= tol * max|expected| (both read back synchronously). */
export function assertClose(
  actual: Tensor | Float32Array,
  expected: Tensor | Float32Array,
  what: string,
  tol = REL_TOL,
): void {
  const a = actual instanceof Float32Array ? actual : (actual.dataSync() as Float32Array);
  const e = expected instanceof Float32Array ? expected : (expected.dataSync() as Float32Array);
  assert.equal(a.length, e.length, `${what}: length ${a.length} vs ${e.length}`);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - e[i]);
    if (!(d <= maxDiff)) maxDiff = d;
    maxRef = Math.max(maxRef, Math.abs(e[i]));
  }
  assert.ok(maxDiff <= tol * maxRef, `${what}: max|diff| ${maxDiff} > ${tol} * max|ref| ${maxRef}`);
}

/** Deterministic pseudo-random floats in [-scale, scale) (mulberry32). */
export function randomFloats(n: number, seed: number, scale = 1): Float32Array {
  const rng = new SeededRng(seed);
  return Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale);
}
