import assert from 'node:assert/strict';
import { relativeError } from '@lookright/test-support/relative-error';
import * as tf from '@tensorflow/tfjs-core';
import { onWebgpuTestBackend } from '../testing/webgpu-test-backend.js';
import { dequantizeNf4, NF4_LEVELS, quantizeNf4 } from './nf4.js';
import { packCheckpointWeight, packKernel } from './packed-kernel.js';
import { assertLinear16EqualsMatMul, seeded } from './packed-matmul-checks.js';

/**
 * The reference this spec checks against, written apart from nf4.ts and the WGSL kernel: the NF4 table as printed in
 * QLoRA (arXiv 2305.14314, Appendix E), and a plain decoding of the documented layout (column c of row r in bits
 * 4(c mod 8).. of word [r, c div 8]; scale [r div 64, c]).
 */
const PAPER_NF4 = [
  -1, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635, -0.18477343022823334,
  -0.09105003625154495, 0, 0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
  0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1,
];
function referenceDequant(words: ArrayLike<number>, scales: ArrayLike<number>, rows: number, cols: number) {
  const perRow = Math.ceil(cols / 8);
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const code = (words[r * perRow + Math.floor(c / 8)] >>> (4 * (c % 8))) & 0xf;
      out[r * cols + c] = PAPER_NF4[code] * scales[Math.floor(r / 64) * cols + c];
    }
  return out;
}

/** Half the widest gap between neighbouring levels (-1 to -0.6962, 0.304): the most a normalised weight moves. */
const HALF_WIDEST_GAP = Math.max(...PAPER_NF4.slice(1).map((level, k) => level - PAPER_NF4[k])) / 2;

describe('NF4 quantisation (CPU)', () => {
  it('uses the paper’s 16 levels', () => {
    assert.deepEqual([...NF4_LEVELS], PAPER_NF4);
  });

  it('maps every level times the absmax to itself, and every weight to its nearest level within half the widest gap', () => {
    const rows = 130; // two full blocks of 64 and a partial one
    const cols = 11; // not a multiple of 8: a part-filled word per row
    const values = seeded(rows * cols, 3).map((v, i) => (i % 17 === 0 ? PAPER_NF4[i % 16] * 0.8 : v));
    const { words, scales } = quantizeNf4(values, rows, cols);
    assert.equal(words.length, rows * 2);
    assert.equal(scales.length, 3 * cols);
    const back = referenceDequant(words, scales, rows, cols);
    assert.deepEqual(dequantizeNf4({ words, scales }, rows, cols), back, "the module's dequantisation agrees");
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const v = values[r * cols + c];
        const absmax = scales[Math.floor(r / 64) * cols + c];
        const got = back[r * cols + c];
        assert.ok(Math.abs(got - v) <= HALF_WIDEST_GAP * absmax + 1e-7, `[${r},${c}] ${v} -> ${got}`);
        const nearest = Math.min(...PAPER_NF4.map((level) => Math.abs(level * absmax - v)));
        assert.ok(Math.abs(got - v) <= nearest + 1e-6, `[${r},${c}] not the nearest level`);
      }
  });

  it('scales each block of 64 rows of a column by its own absmax; an all-zero block stays zero', () => {
    const rows = 128;
    const values = Array.from({ length: rows * 2 }, (_, i) => {
      const [r, c] = [Math.floor(i / 2), i % 2];
      if (c === 1) return r < 64 ? 0 : 0.01 * (r - 64);
      return r === 3 ? 100 : 0.5;
    });
    const { words, scales } = quantizeNf4(values, rows, 2);
    assert.deepEqual([...scales], [100, 0, 0.5, Math.fround(0.63)]);
    const back = referenceDequant(words, scales, rows, 2);
    assert.equal(back[3 * 2], 100);
    assert.equal(back[70 * 2], 0.5, 'the second block of column 0 is not swamped by the 100 of the first');
    for (let r = 0; r < 64; r++) assert.equal(back[r * 2 + 1], 0);
  });

  it('quantises an HF [out, in] weight as its [in, out] kernel without a transposed copy', () => {
    const [out, inFeatures] = [5, 70];
    const hf = seeded(out * inFeatures, 4);
    const kernel = Array.from({ length: inFeatures * out }, (_, i) => hf[(i % out) * inFeatures + Math.floor(i / out)]);
    const a = quantizeNf4(hf, inFeatures, out, true);
    const b = quantizeNf4(kernel, inFeatures, out);
    assert.deepEqual(a, b);
  });
});

describe('NF4 weight matmul on webgpu (dequantised in the kernel, f32 accumulation)', function () {
  this.timeout(120_000);
  onWebgpuTestBackend();

  // 19 x 130 @ 130 x 21: three blocks of rows (the last partial), odd widths; 70 x 64 @ 64 x 133: 64 x 64 output blocks
  const shapes = [
    [19, 130, 21],
    [70, 64, 133],
  ] as const;
  for (const [m, k, n] of shapes)
    it(`${m}x${k} @ ${k}x${n}: value and dx equal tf.matMul on the JS reference dequantisation`, async () => {
      const x = tf.tensor2d(seeded(m * k, 1), [m, k]);
      const w32 = tf.tensor2d(seeded(k * n, 2), [k, n]);
      const packed = await packKernel(w32, 'nf4');
      const reference = referenceDequant(await packed.words.data(), await packed.scales!.data(), k, n);
      const dequantised = tf.tensor2d(reference, [k, n]);
      const dy = tf.tensor2d(seeded(m * n, 3), [m, n]);
      try {
        const y4 = await assertLinear16EqualsMatMul(x, packed, dequantised, dy);
        const yF32 = tf.matMul(x, w32);
        const vsF32 = relativeError(y4, await yF32.data());
        yF32.dispose();
        assert.ok(vsF32 > 1e-4, `4 bits change the product (${vsF32}): the NF4 path ran`);
      } finally {
        tf.dispose([x, w32, dequantised, dy]);
        packed.dispose();
      }
    });

  it('packs a checkpoint weight on the CPU to the same codes and scales as packing its kernel on the GPU', async () => {
    const [out, inFeatures] = [9, 70];
    const hf = tf.tensor2d(seeded(out * inFeatures, 5), [out, inFeatures]);
    const kernel = tf.transpose(hf) as tf.Tensor2D;
    const a = packCheckpointWeight(await hf.data(), out, inFeatures, 'nf4');
    const b = await packKernel(kernel, 'nf4');
    try {
      assert.deepEqual(a.shape, [inFeatures, out]);
      assert.deepEqual(await a.words.data(), await b.words.data());
      assert.deepEqual(await a.scales!.data(), await b.scales!.data());
    } finally {
      tf.dispose([hf, kernel]);
      a.dispose();
      b.dispose();
    }
  });
});
