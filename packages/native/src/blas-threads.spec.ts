import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { addonPath, BLAS_THREAD_TIMEOUT, blasNumerics, loadAddon, type NativeAddon } from './native-addon.js';
import { requireAddon } from './testing/backends.js';
import { randomFloats } from './testing/compare.js';

/** One gemm call: [batchA, batchB, m, n, k, transA, transB, bias]. */
type Product = [number, number, number, number, number, boolean, boolean, boolean];

/**
 * Products of the shapes training runs (K of 64, 256 and 688 as in the reference model's projections, K = tokens for
 * weight gradients) and odd ones: K just above one chunk of 256, between one and two of OpenBLAS's K blocks, a
 * batch folded into one product, a batch of small products, a bias.
 */
const PRODUCTS: Product[] = [
  [1, 1, 192, 200, 688, false, false, false],
  [1, 1, 192, 200, 688, false, true, false],
  [1, 1, 200, 96, 1029, true, false, false],
  [1, 1, 97, 131, 257, true, true, true],
  [1, 1, 512, 64, 64, false, false, false],
  [3, 1, 40, 300, 700, false, true, true],
  [6, 6, 33, 33, 300, false, true, false],
  // thin K (a classifier head's input gradient), taken by the ordered product (product.h) where it matches OpenBLAS
  [1, 1, 1024, 256, 9, false, true, false],
  [2, 1, 301, 70, 16, false, false, false],
];

/** The operands product() multiplies (the same values every call). */
function operands([batchA, batchB, m, n, k]: Product): { a: Float32Array; b: Float32Array; bias: Float32Array } {
  return {
    a: randomFloats(batchA * m * k, m + k, 2),
    b: randomFloats(batchB * k * n, n + k, 2),
    bias: randomFloats(n, 7),
  };
}

function product(addon: NativeAddon, p: Product, specials = false): Float32Array {
  const [batchA, batchB, m, n, k, ta, tb, bias] = p;
  const { a, b, bias: biasValues } = operands(p);
  if (specials) {
    // NaN in row 0 of op(A) at the first K of the second chunk of 256; an infinity in column 5 of op(B), first chunk
    a[ta ? 256 * m : 256] = Number.NaN;
    b[tb ? 5 * k + 3 : 3 * n + 5] = Number.POSITIVE_INFINITY;
  }
  const c = new Float32Array(Math.max(batchA, batchB) * m * n);
  addon.gemm(a, b, c, batchA, batchB, m, n, k, ta, tb, bias ? biasValues : undefined);
  return c;
}

function digest(values: Float32Array): string {
  return createHash('sha256').update(new Uint8Array(values.buffer)).digest('hex');
}

describe('native float32 products and the OpenBLAS thread count', () => {
  let addon: NativeAddon;
  beforeEach(function () {
    requireAddon(this);
    const loaded = loadAddon();
    assert.ok(loaded.ok);
    addon = loaded.addon;
  });

  it('give the same bits with 1, 2 and 3 OpenBLAS threads and 1 and 2 kernel threads', () => {
    const { threads } = addon.blasInfo();
    const kernelThreads = addon.kernelThreads();
    try {
      for (const p of PRODUCTS) {
        const seen = new Set<string>();
        for (const blas of [1, 2, 3]) {
          for (const kernel of [1, 2]) {
            addon.setBlasThreads(blas);
            addon.setKernelThreads(kernel);
            seen.add(digest(product(addon, p)));
          }
        }
        assert.equal(seen.size, 1, `product ${JSON.stringify(p)}: ${seen.size} different results`);
      }
    } finally {
      addon.setBlasThreads(threads);
      addon.setKernelThreads(kernelThreads);
    }
  });

  it('sum K in chunks to the float64 product within float32 error, NaN and Inf reaching the outputs that read them', () => {
    for (const p of PRODUCTS.filter(([batchA, batchB]) => batchA === 1 && batchB === 1)) {
      const [, , m, n, k, ta, tb, bias] = p;
      const { a, b, bias: biasValues } = operands(p);
      const c = product(addon, p);
      for (const [i, j] of [
        [0, 0],
        [m - 1, n - 1],
        [m >> 1, n >> 2],
      ]) {
        let sum = bias ? biasValues[j] : 0;
        let scale = Math.abs(sum);
        for (let t = 0; t < k; t++) {
          const term = a[ta ? t * m + i : i * k + t] * b[tb ? j * k + t : t * n + j];
          sum += term;
          scale += Math.abs(term);
        }
        assert.ok(Math.abs(c[i * n + j] - sum) <= 2 ** -20 * scale, `${JSON.stringify(p)} (${i}, ${j})`);
      }
      if (k <= 256) continue;
      const special = product(addon, p, true);
      assert.ok(Number.isNaN(special[1]), 'the NaN in the second chunk reaches row 0');
      assert.equal(Math.abs(special[(m - 1) * n + 5]), Number.POSITIVE_INFINITY, 'the infinity reaches column 5');
      assert.ok(Number.isFinite(special[(m - 1) * n + 1]), 'an output that reads neither stays finite');
    }
  });

  it('a thin-K product (K <= 16) has the bits of the same product padded with zero terms to go through OpenBLAS', () => {
    for (const p of PRODUCTS.filter(([, , , , k]) => k <= 16)) {
      const [batchA, batchB, m, n, k, ta, tb] = p;
      const { a, b } = operands(p);
      const thin = product(addon, p);
      // K + 1 = 17 with a zero last term: the sums gain + 0 * 0, which changes no bit of a nonzero sum
      const wide = k + 1;
      const aWide = new Float32Array(batchA * m * wide);
      for (let r = 0; r < batchA * m; r++) aWide.set(a.subarray(r * k, (r + 1) * k), r * wide);
      const bWide = new Float32Array(batchB * wide * n);
      if (tb) for (let j = 0; j < batchB * n; j++) bWide.set(b.subarray(j * k, (j + 1) * k), j * wide);
      else bWide.set(b);
      const padded = new Float32Array(thin.length);
      addon.gemm(aWide, bWide, padded, batchA, batchB, m, n, wide, ta, tb);
      assert.equal(
        thin.findIndex((v, i) => v !== padded[i] && !(v === 0 && padded[i] === 0)),
        -1,
        JSON.stringify(p),
      );
    }
  });

  it("reports its BLAS as the cell hash's numerics name it", () => {
    const info = addon.blasInfo();
    assert.ok(info.core.length > 0);
    assert.equal(typeof info.threadInvariant, 'boolean');
    assert.match(blasNumerics(info), /^OpenBLAS \d+\.\d+\.\d+ \w+(, one thread)?$/);
    const config = 'OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64';
    assert.equal(blasNumerics({ config, core: 'SkylakeX', threadInvariant: true }), 'OpenBLAS 0.3.21 SkylakeX');
    assert.equal(
      blasNumerics({ config, core: 'Haswell', threadInvariant: false }),
      'OpenBLAS 0.3.21 Haswell, one thread',
    );
  });

  it("holds products to one thread where the core's threaded products differ (Haswell's), so the bits still do not", function () {
    if (process.arch !== 'x64') this.skip();
    const script = `
      const addon = require(${JSON.stringify(addonPath)});
      const m = 512, n = 64, k = 64;
      const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
      const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
      const out = [];
      for (const threads of [1, 2, 3]) {
        addon.setBlasThreads(threads);
        const c = new Float32Array(m * n);
        addon.gemm(a, b, c, 1, 1, m, n, k, false, false);
        out.push(require('node:crypto').createHash('sha256').update(new Uint8Array(c.buffer)).digest('hex'));
      }
      const info = addon.blasInfo();
      console.log(JSON.stringify({ core: info.core, invariant: info.threadInvariant, distinct: new Set(out).size }));`;
    const result = JSON.parse(
      execFileSync(process.execPath, ['-e', script], {
        env: { ...process.env, OPENBLAS_CORETYPE: 'Haswell' },
        encoding: 'utf8',
      }),
    );
    assert.equal(result.core, 'Haswell');
    assert.equal(result.distinct, 1, `one result for 1, 2 and 3 threads (products held to one: ${!result.invariant})`);
  });

  it('idle OpenBLAS workers busy-wait 2^16 cycles unless OPENBLAS_THREAD_TIMEOUT says otherwise', function () {
    requireAddon(this);
    const script = `
      import('${pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'native-addon.ts')).href}').then((m) => {
        const loaded = m.loadAddon();
        console.log(JSON.stringify(loaded.ok ? loaded.addon.blasInfo().threadTimeout : loaded.reason));
      });`;
    const timeoutWith = (value: string | undefined) => {
      const env = { ...process.env };
      delete env.OPENBLAS_THREAD_TIMEOUT;
      if (value !== undefined) env.OPENBLAS_THREAD_TIMEOUT = value;
      return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { env, encoding: 'utf8' }));
    };
    assert.equal(timeoutWith(undefined), BLAS_THREAD_TIMEOUT);
    assert.equal(timeoutWith('6'), 6);
  });
});
