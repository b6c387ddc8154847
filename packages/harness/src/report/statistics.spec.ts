import assert from 'node:assert/strict';
import { incompleteBeta, meanStd, pairedBootstrap, pairedTTest } from './statistics.js';

describe('report statistics', () => {
  it('mean and sample std', () => {
    const { mean, std, n } = meanStd([2, 4, 4, 4, 5, 5, 7, 9]);
    assert.equal(mean, 5);
    assert.equal(n, 8);
    assert.ok(Math.abs(std - Math.sqrt(32 / 7)) < 1e-12);
    assert.equal(meanStd([0.8]).std, 0);
  });

  it('incomplete beta matches closed forms', () => {
    // I_x(1, 1) = x;  I_x(a, 1) = x^a;  I_x(1, b) = 1 - (1 - x)^b
    assert.ok(Math.abs(incompleteBeta(0.3, 1, 1) - 0.3) < 1e-10);
    assert.ok(Math.abs(incompleteBeta(0.6, 3, 1) - 0.216) < 1e-10);
    assert.ok(Math.abs(incompleteBeta(0.2, 1, 4) - (1 - 0.8 ** 4)) < 1e-10);
  });

  it('paired t-test p-values match the t distribution in closed form', () => {
    // df = 1 is Cauchy: two-sided p(|T| > 1) = 0.5. Differences 1 and 3: mean 2, sd sqrt(2), t = 2.
    const cauchy = pairedTTest([1, 3], [0, 0]);
    assert.ok(Math.abs(cauchy.t - 2) < 1e-12);
    assert.ok(Math.abs(cauchy.p - (1 - (2 / Math.PI) * Math.atan(2))) < 1e-9);
    // df = 2: two-sided p = 1 - t / sqrt(t^2 + 2)
    const three = pairedTTest([1.1, 2.3, 0.9], [0.2, 0.4, 0.6]);
    const expected = 1 - Math.abs(three.t) / Math.sqrt(three.t ** 2 + 2);
    assert.ok(Math.abs(three.p - expected) < 1e-9, `${three.p} vs ${expected}`);
    assert.equal(pairedTTest([0.5, 0.6], [0.5, 0.6]).p, 1);
    assert.ok(Number.isNaN(pairedTTest([0.5], [0.4]).p));
  });

  it('paired bootstrap: no difference gives p = 1, a uniformly better system a small p, and it is reproducible', () => {
    const base = Array.from({ length: 200 }, (_, i) => ({ tp: i % 3, pred: 3, gold: 3 }));
    assert.equal(pairedBootstrap(base, base).p, 1);
    const better = base.map((c) => ({ ...c, tp: Math.min(3, c.tp + 1) }));
    const result = pairedBootstrap(better, base, 500, 7);
    assert.ok(result.delta > 0);
    assert.ok(result.p < 0.01, String(result.p));
    assert.deepEqual(pairedBootstrap(better, base, 500, 7), result);
    assert.equal(pairedBootstrap(base, better, 500, 7).p, 1);
  });
});
