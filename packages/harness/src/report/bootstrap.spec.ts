import assert from 'node:assert/strict';
import { bootstrapMeanCi, microF1, pairedBootstrap } from './bootstrap.js';

const span = (tp: number) => ({ tp, pred: 1, gold: 1 });

describe('report bootstrap', () => {
  it('percentile interval of a mean matches scipy.stats.bootstrap and cases whose resamples are enumerable', () => {
    // Reference: scipy 1.17.1, scipy.stats.bootstrap((x,), np.mean, method='percentile', n_resamples=200000)
    // gives [1.72857, 4.18571]; with 20000 seeded resamples ours lands within Monte Carlo error (~0.015 here).
    const ci = bootstrapMeanCi([3.1, 0.4, 2.2, 5.9, 1.7, 4.4, 2.6], 20000, 3);
    assert.ok(ci && Math.abs(ci.low - 1.72857) < 0.05 && Math.abs(ci.high - 4.18571) < 0.05, JSON.stringify(ci));
    // [1, 2, 3]: 27 equally likely resamples; the mean is 1 in 1/27 = 3.7% > 2.5% of them and 3 in 3.7%,
    // so the 2.5th and 97.5th percentiles are exactly 1 and 3.
    assert.deepEqual(bootstrapMeanCi([1, 2, 3], 4000), { low: 1, high: 3 });
    assert.deepEqual(bootstrapMeanCi([5, 5, 5], 100), { low: 5, high: 5 });
    assert.equal(bootstrapMeanCi([0.4], 100), null, 'a single value has no interval');
    assert.deepEqual(bootstrapMeanCi([1, 2, 3], 500, 9), bootstrapMeanCi([1, 2, 3], 500, 9), 'seeded');
  });

  it('paired bootstrap: two-sided p and interval of a hand-worked two-sentence case', () => {
    // A finds sentence 1's only span and misses sentence 2's; B misses both. F1(A) = 0.5, F1(B) = 0, Δ = 0.5.
    // The 4 equally likely resamples give Δ* = 1 ({1,1}), 0.5 ({1,2}, {2,1}), 0 ({2,2}): Δ* <= 0 in 1 of 4 and
    // Δ* >= 0 in all, so the two-sided p is 2 · 1/4 = 1/2, and the 95% percentile interval is [0, 1].
    const result = pairedBootstrap([{ a: [span(1), span(0)], b: [span(0), span(0)] }], 4000, 5);
    assert.equal(result.delta, 0.5);
    assert.ok(Math.abs(result.p - 0.5) < 0.03, String(result.p));
    assert.deepEqual(result.ci, { low: 0, high: 1 });
    // the other direction: same p, Δ and interval mirrored
    const reversed = pairedBootstrap([{ a: [span(0), span(0)], b: [span(1), span(0)] }], 4000, 5);
    assert.equal(reversed.delta, -0.5);
    assert.equal(reversed.p, result.p);
    assert.deepEqual(reversed.ci, { low: -1, high: 0 });
  });

  it('paired bootstrap: Δ is the mean of per-seed F1 differences, not the pooled F1 difference', () => {
    // Seed 1: A 1/1 spans right (F1 1), B 0/1 (F1 0). Seed 2: A finds 0 of 9 spans predicting 9, B 3 of 9.
    // Per seed: +1 and -1/3, mean +1/3. Pooled: A 2·1/(10+10) = 0.1, B 2·3/20 = 0.3, pooled Δ = -0.2.
    const seed1 = { a: [span(1)], b: [span(0)] };
    const seed2 = {
      a: Array.from({ length: 9 }, () => span(0)),
      b: Array.from({ length: 9 }, (_, i) => span(i < 3 ? 1 : 0)),
    };
    const result = pairedBootstrap([seed1, seed2], 200);
    assert.ok(Math.abs(result.delta - 1 / 3) < 1e-12, String(result.delta));
    assert.ok(microF1([...seed1.a, ...seed2.a]) - microF1([...seed1.b, ...seed2.b]) < 0, 'pooled sign is opposite');
    assert.ok(result.ci.low <= result.delta && result.delta <= result.ci.high);
  });

  it('paired bootstrap: no difference gives p = 1; a uniformly better or worse system a small p; reproducible', () => {
    const base = Array.from({ length: 200 }, (_, i) => ({ tp: i % 3, pred: 3, gold: 3 }));
    assert.equal(pairedBootstrap([{ a: base, b: base }]).p, 1);
    const better = base.map((c) => ({ ...c, tp: Math.min(3, c.tp + 1) }));
    const result = pairedBootstrap([{ a: better, b: base }], 500, 7);
    assert.ok(result.delta > 0 && result.ci.low > 0);
    assert.ok(result.p < 0.01, String(result.p));
    assert.deepEqual(pairedBootstrap([{ a: better, b: base }], 500, 7), result);
    const worse = pairedBootstrap([{ a: base, b: better }], 500, 7);
    assert.ok(worse.delta < 0 && worse.p < 0.01, 'two-sided: a worse system is significant too');
  });
});
