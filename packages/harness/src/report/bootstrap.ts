import { SeededRng } from '@lookright/core';
import { percentile } from './statistics.js';

/** A 95% confidence interval. */
export interface Interval {
  low: number;
  high: number;
}

/** Span counts of one sentence: true positives, predicted spans, gold spans. */
export interface SentenceCounts {
  tp: number;
  pred: number;
  gold: number;
}

/** The two systems' counts on the same test sentences of one seed, sentence i of `a` paired with sentence i of `b`. */
export interface PairedSentences {
  a: readonly SentenceCounts[];
  b: readonly SentenceCounts[];
}

/** Micro F1 of the sentences `pick(0..n-1)` of `counts`. */
export function microF1(counts: readonly SentenceCounts[], pick: (i: number) => number = (i) => i): number {
  let tp = 0;
  let predAndGold = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[pick(i)];
    tp += c.tp;
    predAndGold += c.pred + c.gold;
  }
  return predAndGold === 0 ? 0 : (2 * tp) / predAndGold;
}

/** 95% percentile interval of bootstrap replicates (2.5th and 97.5th percentiles). */
const interval95 = (replicates: readonly number[]): Interval => ({
  low: percentile(replicates, 2.5),
  high: percentile(replicates, 97.5),
});

/**
 * 95% bootstrap percentile interval of the mean of `values` (Efron & Tibshirani 1993, ch. 13): `samples` resamples
 * with replacement drawn by SeededRng(seed). Null for fewer than 2 values, where resampling says nothing, and for
 * no resamples.
 */
export function bootstrapMeanCi(values: readonly number[], samples = 1000, seed = 1): Interval | null {
  const n = values.length;
  if (n < 2 || samples < 1) return null;
  const rng = new SeededRng(seed);
  const replicates = Array.from({ length: samples }, () => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[rng.nextInt(n)];
    return sum / n;
  });
  return interval95(replicates);
}

/**
 * Paired bootstrap over test sentences (Koehn 2004; Berg-Kirkpatrick et al. 2012), stratified by seed: each
 * resample draws every seed's sentences with replacement (the same draws for both systems) and averages the
 * per-seed F1 differences. So `delta` is the mean over seeds of F1(a) - F1(b), the Δ a table prints beside it.
 * `ci` is the 95% percentile interval of the resampled differences, and `p` the two-sided p-value that inverts it
 * (Efron & Tibshirani 1993, §16.4): twice the smaller share of resampled differences on either side of 0 (ties
 * count on both sides), with the +1 correction, at most 1. So p < 0.05 goes with an interval that excludes 0 on
 * the side of Δ, and identical systems give p = 1.
 */
export function pairedBootstrap(
  strata: readonly PairedSentences[],
  samples = 1000,
  seed = 1,
): { delta: number; p: number; ci: Interval } {
  const meanDelta = (pick: (stratum: number) => (i: number) => number) =>
    strata.reduce((sum, s, k) => sum + microF1(s.a, pick(k)) - microF1(s.b, pick(k)), 0) / strata.length;
  const delta = meanDelta(() => (i) => i);
  const rng = new SeededRng(seed);
  let atOrBelowZero = 0;
  let atOrAboveZero = 0;
  const replicates = Array.from({ length: samples }, () => {
    const picks = strata.map((s) => Array.from({ length: s.a.length }, () => rng.nextInt(s.a.length)));
    const d = meanDelta((k) => (i) => picks[k][i]);
    if (d <= 0) atOrBelowZero++;
    if (d >= 0) atOrAboveZero++;
    return d;
  });
  const p = Math.min(1, (2 * (Math.min(atOrBelowZero, atOrAboveZero) + 1)) / (samples + 1));
  return { delta, p, ci: interval95(replicates) };
}
