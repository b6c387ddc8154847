/** Mean and sample standard deviation (n - 1); std is 0 for a single value. */
export function meanStd(values: readonly number[]): { mean: number; std: number; n: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance), n };
}

/** log Γ(x) by the Lanczos approximation (g = 7), accurate to ~1e-13 for x > 0. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0];
  for (let i = 1; i < 9; i++) sum += c[i] / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Regularised incomplete beta I_x(a, b), by its continued fraction (Lentz). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const front = Math.exp(Math.log(x) * a + Math.log(1 - x) * b - (logGamma(a) + logGamma(b) - logGamma(a + b))) / a;
  const tiny = 1e-300;
  let f = 1;
  let c = 1;
  let d = 0;
  for (let i = 0; i <= 400; i++) {
    const m = Math.floor(i / 2);
    let numerator: number;
    if (i === 0) numerator = 1;
    else if (i % 2 === 0) numerator = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    else numerator = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + numerator * d;
    d = Math.abs(d) < tiny ? tiny : d;
    d = 1 / d;
    c = 1 + numerator / c;
    c = Math.abs(c) < tiny ? tiny : c;
    const cd = c * d;
    f *= cd;
    if (Math.abs(1 - cd) < 1e-12) break;
  }
  return front * (f - 1);
}

/**
 * Two-sided paired t-test of a against b (same seeds, same order). Returns NaN p for fewer than 2 pairs;
 * identical pairs give p = 1.
 */
export function pairedTTest(a: readonly number[], b: readonly number[]): { t: number; df: number; p: number } {
  const diffs = a.map((v, i) => v - b[i]);
  const { mean, std, n } = meanStd(diffs);
  const df = n - 1;
  if (n < 2) return { t: Number.NaN, df, p: Number.NaN };
  if (std === 0) return { t: mean === 0 ? 0 : Math.sign(mean) * Number.POSITIVE_INFINITY, df, p: mean === 0 ? 1 : 0 };
  const t = mean / (std / Math.sqrt(n));
  return { t, df, p: incompleteBeta(df / (df + t * t), df / 2, 0.5) };
}

/**
 * The q-th percentile (0-100) of values by linear interpolation between closest ranks: numpy.percentile's default
 * (Hyndman & Fan 1996, definition 7). NaN for no values.
 */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
}

/**
 * Holm–Bonferroni adjusted p-values (Holm 1979), in the input order: the k-th smallest of m p-values is multiplied by
 * m - k + 1, running maxima keep the order, and values are capped at 1. Nulls (tests not run) are left out of the
 * family and stay null.
 */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const present = pValues
    .map((p, index) => ({ p, index }))
    .filter((x): x is { p: number; index: number } => x.p !== null && !Number.isNaN(x.p))
    .sort((a, b) => a.p - b.p);
  const adjusted: (number | null)[] = pValues.map(() => null);
  let runningMax = 0;
  present.forEach(({ p, index }, k) => {
    runningMax = Math.max(runningMax, Math.min(1, (present.length - k) * p));
    adjusted[index] = runningMax;
  });
  return adjusted;
}
