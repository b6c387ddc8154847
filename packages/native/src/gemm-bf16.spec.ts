import assert from 'node:assert/strict';
import type { NativeAddon } from './native-addon.js';
import { requireAmxBf16 } from './testing/backends.js';
import { randomFloats } from './testing/compare.js';

/** bfloat16 as the kernel documents it (VCVTNEPS2BF16): nearest even, NaN kept, subnormals to zero, as a float. */
function roundToBf16(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  const bits = u[0];
  if ((bits & 0x7f800000) === 0) u[0] = bits & 0x80000000;
  else if ((bits & 0x7fffffff) > 0x7f800000) u[0] = (bits | 0x00400000) & 0xffff0000;
  else u[0] = ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) << 16;
  return f[0];
}

interface Product {
  a: Float32Array;
  b: Float32Array;
  batchA: number;
  batchB: number;
  m: number;
  n: number;
  k: number;
  ta: boolean;
  tb: boolean;
  bias?: Float32Array;
}

/** op(A)[i][t] of batch entry `e`. */
function aAt(p: Product, e: number, i: number, t: number): number {
  const base = p.batchA === 1 ? 0 : e * p.m * p.k;
  return p.a[base + (p.ta ? t * p.m + i : i * p.k + t)];
}

function bAt(p: Product, e: number, t: number, j: number): number {
  const base = p.batchB === 1 ? 0 : e * p.k * p.n;
  return p.b[base + (p.tb ? j * p.k + t : t * p.n + j)];
}

/**
 * The product in float64 over bf16-rounded operands, and per element the bound on float32 summation error:
 * (k + 2) * 2^-24 * sum |a b|, since each of at most k + 1 float32 additions rounds by at most 2^-24 of a partial sum.
 */
function reference(p: Product): { value: Float64Array; bound: Float64Array; magnitude: Float64Array } {
  const rounded = { ...p, a: p.a.map(roundToBf16), b: p.b.map(roundToBf16) };
  const batch = Math.max(p.batchA, p.batchB);
  const value = new Float64Array(batch * p.m * p.n);
  const bound = new Float64Array(value.length);
  const magnitude = new Float64Array(value.length);
  for (let e = 0; e < batch; e++) {
    for (let i = 0; i < p.m; i++) {
      for (let j = 0; j < p.n; j++) {
        let sum = p.bias ? p.bias[j] : 0;
        let abs = Math.abs(sum);
        for (let t = 0; t < p.k; t++) {
          const x = aAt(rounded, e, i, t) * bAt(rounded, e, t, j);
          sum += x;
          abs += Math.abs(x);
        }
        const o = (e * p.m + i) * p.n + j;
        value[o] = sum;
        magnitude[o] = abs;
        bound[o] = (p.k + 2) * 2 ** -24 * abs;
      }
    }
  }
  return { value, bound, magnitude };
}

function run(addon: NativeAddon, p: Product): Float32Array {
  const c = new Float32Array(Math.max(p.batchA, p.batchB) * p.m * p.n).fill(Number.NaN);
  addon.gemmBf16(p.a, p.b, c, p.batchA, p.batchB, p.m, p.n, p.k, p.ta, p.tb, p.bias);
  return c;
}

function product(
  shape: { batchA?: number; batchB?: number; m: number; n: number; k: number; ta?: boolean; tb?: boolean },
  seed: number,
  bias = false,
): Product {
  const batchA = shape.batchA ?? 1;
  const batchB = shape.batchB ?? 1;
  return {
    a: randomFloats(batchA * shape.m * shape.k, seed),
    b: randomFloats(batchB * shape.k * shape.n, seed + 1),
    batchA,
    batchB,
    m: shape.m,
    n: shape.n,
    k: shape.k,
    ta: shape.ta ?? false,
    tb: shape.tb ?? false,
    bias: bias ? randomFloats(shape.n, seed + 2) : undefined,
  };
}

describe('gemmBf16 (AMX bf16 GEMM)', () => {
  const shapes = [
    { m: 1, n: 1, k: 1 },
    { m: 17, n: 9, k: 45 },
    { m: 64, n: 64, k: 64 },
    { m: 33, n: 70, k: 100 },
    { m: 130, n: 40, k: 257 },
    // B wider than one pass (1 MiB packed): A packed once, columns in passes
    { m: 40, n: 1100, k: 512 },
  ];
  for (const shape of shapes) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`equals the float64 product of bf16 operands: ${shape.m}x${shape.n}x${shape.k} transA ${ta} transB ${tb}`, function () {
        const addon = requireAmxBf16(this);
        const p = product({ ...shape, ta, tb }, shape.m + shape.k, shape.n % 2 === 0);
        const c = run(addon, p);
        const ref = reference(p);
        for (let o = 0; o < c.length; o++) {
          const diff = Math.abs(c[o] - ref.value[o]);
          assert.ok(diff <= ref.bound[o], `element ${o}: ${c[o]} vs ${ref.value[o]} (bound ${ref.bound[o]})`);
        }
      });
    }
  }

  for (const batchShape of [
    { name: 'entries on both sides', batchA: 3, batchB: 3, m: 20, n: 24, k: 40, tb: true },
    { name: 'a shared weight (folded into one GEMM)', batchA: 4, batchB: 1, m: 10, n: 33, k: 50 },
    { name: 'a shared left operand', batchA: 1, batchB: 3, m: 12, n: 18, k: 70, ta: true },
  ]) {
    it(`batches: ${batchShape.name}`, function () {
      const addon = requireAmxBf16(this);
      const p = product(batchShape, 7, true);
      const c = run(addon, p);
      const ref = reference(p);
      for (let o = 0; o < c.length; o++) {
        assert.ok(Math.abs(c[o] - ref.value[o]) <= ref.bound[o], `element ${o}: ${c[o]} vs ${ref.value[o]}`);
      }
    });
  }

  it('is exact when the operands are bf16 and every sum fits float32 (small integers)', function () {
    const addon = requireAmxBf16(this);
    const p = product({ m: 45, n: 50, k: 300, ta: true }, 3);
    p.a = p.a.map((x) => Math.round(x * 8));
    p.b = p.b.map((x) => Math.round(x * 8));
    const c = run(addon, p);
    assert.deepEqual(Array.from(c), Array.from(reference(p).value));
  });

  it('stays within 2^-8 * sum |a b| of the float32 product (the precision a bf16 cell gives up)', function () {
    const addon = requireAmxBf16(this);
    const p = product({ m: 64, n: 48, k: 256 }, 11);
    const c = run(addon, p);
    for (let i = 0; i < p.m; i++) {
      for (let j = 0; j < p.n; j++) {
        let exact = 0;
        let abs = 0;
        for (let t = 0; t < p.k; t++) {
          exact += aAt(p, 0, i, t) * bAt(p, 0, t, j);
          abs += Math.abs(aAt(p, 0, i, t) * bAt(p, 0, t, j));
        }
        assert.ok(Math.abs(c[i * p.n + j] - exact) <= 2 ** -8 * abs, `(${i}, ${j}): ${c[i * p.n + j]} vs ${exact}`);
      }
    }
  });

  it('rounds operands to the nearest bf16, ties to even, and subnormals to zero', function () {
    const addon = requireAmxBf16(this);
    const values = [1 + 2 ** -8, 1 + 3 * 2 ** -8, -(1 + 2 ** -8), 1 + 2 ** -8 + 2 ** -20, 1e-40, -1e-40, 3.3e38];
    for (const v of values) {
      const c = run(addon, {
        a: new Float32Array([v]),
        b: new Float32Array([1]),
        batchA: 1,
        batchB: 1,
        m: 1,
        n: 1,
        k: 1,
        ta: false,
        tb: false,
      });
      // a zero product adds to the +0 accumulator, so -0 reads back as +0: compare values, not signs
      assert.ok(c[0] === roundToBf16(v), `bf16(${v}): ${c[0]} vs ${roundToBf16(v)}`);
    }
    assert.equal(roundToBf16(1 + 2 ** -8), 1);
    assert.equal(roundToBf16(1 + 3 * 2 ** -8), 1 + 2 ** -6);
    assert.ok(Object.is(roundToBf16(-1e-40), -0));
  });

  it('propagates NaN and Inf to exactly the outputs that read them', function () {
    const addon = requireAmxBf16(this);
    const p = product({ m: 40, n: 36, k: 70 }, 5);
    p.a = p.a.map(Math.abs);
    p.b = p.b.map(Math.abs);
    p.a[3 * p.k + 10] = Number.NaN; // row 3 of A
    p.b[20 * p.n + 7] = Number.POSITIVE_INFINITY; // column 7 of B
    const c = run(addon, p);
    for (let i = 0; i < p.m; i++) {
      for (let j = 0; j < p.n; j++) {
        const v = c[i * p.n + j];
        if (i === 3) assert.ok(Number.isNaN(v), `(${i}, ${j}) should be NaN`);
        else if (j === 7) assert.equal(v, Number.POSITIVE_INFINITY, `(${i}, ${j})`);
        else assert.ok(Number.isFinite(v), `(${i}, ${j}) should be finite, is ${v}`);
      }
    }
  });

  it('gives the same bits with 1, 2 and 3 kernel threads', function () {
    const addon = requireAmxBf16(this);
    const before = addon.kernelThreads();
    try {
      for (const shape of [
        { m: 300, n: 200, k: 96 },
        { m: 70, n: 1100, k: 520 },
        { batchA: 9, batchB: 9, m: 64, n: 64, k: 64, tb: true },
      ]) {
        const p = product(shape, 13, true);
        const results = [1, 2, 3].map((threads) => {
          addon.setKernelThreads(threads);
          return Buffer.from(run(addon, p).buffer);
        });
        assert.ok(results[0].equals(results[1]) && results[0].equals(results[2]), JSON.stringify(shape));
      }
    } finally {
      addon.setKernelThreads(before);
    }
  });

  it('refuses a buffer smaller than its shape', function () {
    const addon = requireAmxBf16(this);
    assert.throws(
      () => addon.gemmBf16(new Float32Array(5), new Float32Array(6), new Float32Array(4), 1, 1, 2, 2, 3, false, false),
      /gemmBf16: buffer smaller than its shape/,
    );
  });
});
