import assert from 'node:assert/strict';
import { holmAdjust, incompleteBeta, meanStd, pairedTTest, percentile } from './statistics.js';

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} vs ${expected}`);

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

  it('paired t-test matches scipy.stats.ttest_rel on fixed inputs', () => {
    // Reference values: scipy 1.17.1, scipy.stats.ttest_rel(a, b) (two-sided), run once on this machine.
    const five = pairedTTest([0.91, 0.88, 0.93, 0.9, 0.87], [0.89, 0.86, 0.9, 0.91, 0.84]);
    close(five.t, 2.449489742783178);
    close(five.p, 0.07048399691021992);
    const three = pairedTTest([0.62, 0.71, 0.58], [0.6, 0.65, 0.59]);
    close(three.t, 1.150792911137501);
    close(three.p, 0.36883125573279735);
    // swapping the sides flips t and keeps the two-sided p
    close(pairedTTest([0.6, 0.65, 0.59], [0.62, 0.71, 0.58]).p, 0.36883125573279735);
  });

  it('percentile interpolates like numpy.percentile (Hyndman & Fan definition 7)', () => {
    // Reference values: numpy 2.4.6, numpy.percentile(x, [2.5, 50, 97.5]) = [0.595, 2.6, 5.675].
    const x = [3.1, 0.4, 2.2, 5.9, 1.7, 4.4, 2.6];
    close(percentile(x, 2.5), 0.595);
    close(percentile(x, 50), 2.6);
    close(percentile(x, 97.5), 5.675);
    assert.equal(percentile([7], 97.5), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it('Holm–Bonferroni adjusts like the worked example of the Holm–Bonferroni method', () => {
    // Example from Wikipedia, "Holm–Bonferroni method" (after Holm 1979): four hypotheses with p = 0.01, 0.04,
    // 0.03, 0.005. Worked by hand: sorted 0.005, 0.01, 0.03, 0.04 are multiplied by 4, 3, 2, 1 = 0.02, 0.03,
    // 0.06, 0.04; the running maximum makes the last 0.06. At alpha = 0.05 H1 and H4 are rejected.
    const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]) as number[];
    for (const [i, expected] of [0.03, 0.06, 0.06, 0.02].entries()) close(adjusted[i], expected, 1e-12);
    // capped at 1; tests not run stay out of the family (m = 2 here, not 3)
    assert.deepEqual(holmAdjust([0.6, null, 0.9]), [1, null, 1]);
    const two = holmAdjust([0.02, null, 0.04]) as number[];
    close(two[0], 0.04, 1e-12);
    close(two[2], 0.04, 1e-12);
    assert.deepEqual(holmAdjust([]), []);
  });
});
