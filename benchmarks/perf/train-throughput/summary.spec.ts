import assert from 'node:assert/strict';
import { BATCH, SEQ } from './bench-config.js';
import { type BenchLine, fastestTorch, precisionOf, summaryLine } from './summary.js';

const round3 = (v: number) => Number(v.toFixed(3));

/** A hand-made measurement line: tfjs (native false), native (true) or PyTorch (null, with a variant). */
function line(tokens: number, native: boolean | null, extra: Partial<BenchLine> = {}): BenchLine {
  return { config: 'reference', mode: 'full', tokens_per_s: tokens, native, ...extra };
}
const noLimit = { flops: null, peakGflops: null };

describe('bench:train summary', () => {
  it('treats a line without matmul_precision as f32', () => {
    assert.equal(precisionOf(line(1, true)), 'f32');
    assert.equal(precisionOf(line(1, true, { matmul_precision: 'f32' })), 'f32');
    assert.equal(precisionOf(line(1, true, { matmul_precision: 'bf16' })), 'bf16');
  });

  it('computes the f32 fields from f32 lines only and adds no bf16 field when no bf16 line ran', () => {
    const f32 = [
      line(800, false),
      line(6000, true),
      line(5000, null, { variant: 'openmp' }),
      line(4000, null, { variant: 'pthread' }),
    ];
    const plain = summaryLine(f32, 'reference', 'full', noLimit);
    assert.equal(plain.pytorch_best_variant, 'openmp');
    assert.equal(plain.pytorch_tokens_per_s, 5000);
    assert.deepEqual(plain.pytorch_variants, { openmp: 5000, pthread: 4000 });
    assert.equal(plain.native_vs_pytorch, 1.2);
    assert.equal(plain.tfjs_vs_pytorch, 0.16);
    assert.equal(plain.native_meets_bar, true);
    assert.equal(plain.tfjs_meets_bar, false);
    assert.deepEqual(
      Object.keys(plain).filter((k) => k.includes('bf16')),
      [],
    );
    // faster bf16 lines (native and PyTorch) leave every f32 field as it was
    const bf16 = [
      line(20000, true, { matmul_precision: 'bf16' }),
      line(11000, null, { variant: 'openmp+bf16', matmul_precision: 'bf16' }),
    ];
    const both = summaryLine([...f32, ...bf16], 'reference', 'full', noLimit);
    for (const [key, value] of Object.entries(plain)) assert.deepEqual(both[key], value, key);
  });

  it('divides native bf16 by the fastest PyTorch variant of all and by the fastest bf16 one', () => {
    const lines = [
      line(6000, true),
      line(5000, null, { variant: 'openmp' }),
      line(12000, true, { matmul_precision: 'bf16' }),
      line(10000, null, { variant: 'openmp+bf16', matmul_precision: 'bf16' }),
      line(8000, null, { variant: 'pthread+bf16', matmul_precision: 'bf16' }),
    ];
    const s = summaryLine(lines, 'reference', 'full', noLimit);
    assert.equal(s.native_bf16_tokens_per_s, 12000);
    assert.equal(s.pytorch_bf16_best_variant, 'openmp+bf16');
    assert.equal(s.pytorch_bf16_tokens_per_s, 10000);
    assert.deepEqual(s.pytorch_bf16_variants, { 'openmp+bf16': 10000, 'pthread+bf16': 8000 });
    assert.equal(s.native_bf16_vs_pytorch_best, 1.2);
    assert.equal(s.native_bf16_vs_pytorch_bf16, 1.2);
    assert.equal(s.native_bf16_meets_bar, true);
  });

  it('judges native bf16 against an f32 PyTorch variant that is faster than every bf16 one', () => {
    const lines = [
      line(6000, true),
      line(9000, null, { variant: 'openmp' }),
      line(9900, true, { matmul_precision: 'bf16' }),
      line(4500, null, { variant: 'openmp+bf16', matmul_precision: 'bf16' }),
    ];
    const s = summaryLine(lines, 'reference', 'full', noLimit);
    assert.equal(s.native_bf16_vs_pytorch_best, 1.1);
    assert.equal(s.native_bf16_vs_pytorch_bf16, 2.2);
    assert.equal(s.native_bf16_meets_bar, false);
  });

  it('leaves the bf16 ratios empty when the native bf16 run or every PyTorch run left no line', () => {
    const noNative = summaryLine(
      [line(4500, null, { variant: 'openmp+bf16', matmul_precision: 'bf16' })],
      'reference',
      'full',
      noLimit,
    );
    assert.equal(noNative.native_bf16_tokens_per_s, null);
    assert.equal(noNative.native_bf16_vs_pytorch_best, null);
    assert.equal(noNative.native_bf16_meets_bar, null);
    const noTorch = summaryLine([line(9900, true, { matmul_precision: 'bf16' })], 'reference', 'full', noLimit);
    assert.equal(noTorch.pytorch_bf16_best_variant, null);
    assert.equal(noTorch.native_bf16_vs_pytorch_best, null);
    assert.equal(noTorch.native_bf16_vs_pytorch_bf16, null);
  });

  it('adds up the copies of one measurement and keeps each row to its own lines', () => {
    const lines = [
      line(3000, true, { matmul_precision: 'bf16' }),
      line(3000, true, { matmul_precision: 'bf16' }),
      line(2000, null, { variant: 'openmp+bf16', matmul_precision: 'bf16' }),
      line(2000, null, { variant: 'openmp+bf16', matmul_precision: 'bf16' }),
      line(99999, true, { mode: 'lora', matmul_precision: 'bf16' }),
      line(1, null, { mode: 'lora', variant: 'pthread+bf16', matmul_precision: 'bf16' }),
    ];
    const s = summaryLine(lines, 'reference', 'full', noLimit);
    assert.equal(s.native_bf16_tokens_per_s, 6000);
    assert.equal(s.pytorch_bf16_tokens_per_s, 4000);
    assert.equal(s.native_bf16_vs_pytorch_best, 1.5);
    // a variant that ran for another row but left no line for this one (it failed) is listed at 0
    assert.deepEqual(fastestTorch(lines, 'reference', 'full').byVariant, { 'openmp+bf16': 4000, 'pthread+bf16': 0 });
  });

  it('puts each side against the FLOP-bound limit of the step', () => {
    // 2 GFLOP per step at 100 GFLOP/s: 50 steps/s of BATCH × SEQ tokens
    const limit = 50 * BATCH * SEQ;
    const s = summaryLine([line(limit / 4, true), line(limit / 2, null, { variant: 'x' })], 'reference', 'full', {
      flops: 2e9,
      peakGflops: 100,
    });
    assert.equal(s.limit_tokens_per_s, limit);
    assert.equal(s.matmul_gflop_per_step, 2);
    assert.equal(s.native_of_limit, 0.25);
    assert.equal(s.pytorch_of_limit, 0.5);
    assert.equal(s.tfjs_of_limit, null);
  });

  it("takes each measurement's median over --repeat rounds (copies added within a round) and lists each round's ratios", () => {
    const round = (r: number, tfjs: number, native: number, openmp: number, pthread: number): BenchLine[] => [
      line(tfjs, false, { round: r }),
      line(native / 2, true, { round: r }),
      line(native / 2, true, { round: r }),
      line(openmp, null, { variant: 'openmp', round: r }),
      line(pthread, null, { variant: 'pthread', round: r }),
    ];
    const lines = [
      ...round(1, 900, 6000, 5000, 3000),
      ...round(2, 1000, 6600, 6000, 3000),
      ...round(3, 800, 7000, 5500, 7000),
    ];
    const s = summaryLine(lines, 'reference', 'full', noLimit);
    assert.equal(s.rounds, 3);
    // native: median of 6000, 6600, 7000; openmp: median of 5000, 6000, 5500; pthread: median of 3000, 3000, 7000
    assert.deepEqual(s.pytorch_variants, { openmp: 5500, pthread: 3000 });
    assert.equal(s.pytorch_tokens_per_s, 5500);
    assert.equal(s.native_vs_pytorch, 1.2);
    assert.equal(s.tfjs_vs_pytorch, round3(900 / 5500));
    // each round against its own fastest variant (round 3: pthread)
    assert.deepEqual(s.native_vs_pytorch_by_round, [1.2, 1.1, 1]);
    assert.deepEqual(s.tfjs_vs_pytorch_by_round, [0.18, round3(1000 / 6000), round3(800 / 7000)]);
    // one round: no round fields, the plain sums
    const single = summaryLine(round(1, 900, 6000, 5000, 3000), 'reference', 'full', noLimit);
    assert.equal(single.rounds, undefined);
    assert.equal(single.native_vs_pytorch, 1.2);
  });

  it('lists the bf16 ratio of every round when bf16 lines repeat', () => {
    const lines = [1, 2].flatMap((r) => [
      line(6000, true, { round: r }),
      line(5000, null, { variant: 'openmp', round: r }),
      line(r === 1 ? 12000 : 9000, true, { matmul_precision: 'bf16', round: r }),
      line(10000, null, { variant: 'openmp+bf16', matmul_precision: 'bf16', round: r }),
    ]);
    const s = summaryLine(lines, 'reference', 'full', noLimit);
    assert.deepEqual(s.native_bf16_vs_pytorch_best_by_round, [1.2, 0.9]);
    assert.equal(s.native_bf16_tokens_per_s, 10500);
    assert.equal(s.native_bf16_vs_pytorch_best, 1.05);
  });
});
