import { bootstrapMeanCi, type Interval, microF1, pairedBootstrap, type SentenceCounts } from './bootstrap.js';
import type { ResultRow } from './report-data.js';
import { DEFAULT_METRIC, sentenceCounts } from './report-data.js';
import { holmAdjust, meanStd, pairedTTest } from './statistics.js';

/** Mean ± std over seeds of one backbone × mask × dataset (× head, × input transform). */
export interface AggregateRow {
  backbone: string;
  mask: string;
  dataset: string;
  head: string;
  /** The input transform, for a suite with an `input` axis. */
  input?: string;
  mean: number;
  /** Sample std over seeds; null for a single seed, where it is undefined (reports print n/a). */
  std: number | null;
  /** 95% bootstrap percentile interval of the mean, resampling seeds; null for a single seed. */
  ci: Interval | null;
  seeds: number[];
  scores: number[];
  /** The layer masks the cells trained with (one character per layer), when the store records them. */
  layers?: string;
  /** `accuracy` when the scores are token accuracies standing in for F1 (see ResultRow.measure). */
  measure?: 'accuracy';
}

/** Fewest seeds for which a paired t-test over seeds is reported; below it, it cannot support a claim. */
export const MIN_SEEDS_FOR_T_TEST = 3;

/** A comparison of one mask against a reference mask on the same backbone, dataset, head and seeds. */
export interface Comparison {
  backbone: string;
  dataset: string;
  head: string;
  /** The input transform both sides share, for a suite with an `input` axis. */
  input?: string;
  mask: string;
  reference: string;
  /** Mean over shared seeds of (mask score - reference score): the Δ both tests below test. */
  delta: number;
  /** 95% percentile interval of Δ: from the sentence bootstrap when it ran, else from resampling seeds. */
  ci: Interval | null;
  ciFrom: 'sentences' | 'seeds' | null;
  /** Two-sided paired t-test over shared seeds; null below MIN_SEEDS_FOR_T_TEST seeds. */
  seedP: number | null;
  /** seedP adjusted by Holm–Bonferroni across the comparisons of one compareTo call. */
  seedPHolm: number | null;
  /** Two-sided paired bootstrap over test sentences, stratified by seed; null when it could not run (see why). */
  bootstrapP: number | null;
  bootstrapPHolm: number | null;
  /** Why bootstrapP is null, when it is. */
  bootstrapSkipped?: string;
  sharedSeeds: number;
}

const groupKey = (r: { backbone: string; mask: string; dataset: string; head: string; input?: string }) =>
  `${r.backbone}\u0000${r.mask}\u0000${r.dataset}\u0000${r.head}\u0000${r.input ?? ''}`;

/** Groups rows by backbone × mask × dataset × head (× input transform), in first-seen order. */
export function aggregate(rows: readonly ResultRow[], bootstrapSamples = 1000): AggregateRow[] {
  const groups = new Map<string, ResultRow[]>();
  for (const row of rows) groups.set(groupKey(row), [...(groups.get(groupKey(row)) ?? []), row]);
  return [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => a.seed - b.seed);
    const scores = sorted.map((r) => r.score);
    const { mean, std, n } = meanStd(scores);
    const { backbone, mask, dataset, head, input } = sorted[0];
    const layers = sorted.find((r) => r.layers)?.layers;
    const measure = sorted.find((r) => r.measure)?.measure;
    return {
      backbone,
      mask,
      dataset,
      head,
      ...(input !== undefined && { input }),
      mean,
      std: n > 1 ? std : null,
      ci: bootstrapMeanCi(scores, bootstrapSamples),
      seeds: sorted.map((r) => r.seed),
      scores,
      ...(layers && { layers }),
      ...(measure && { measure }),
    };
  });
}

/** The best mask per backbone × dataset × head (× input transform), by mean score. */
export function bestMasks(aggregates: readonly AggregateRow[]): AggregateRow[] {
  const best = new Map<string, AggregateRow>();
  for (const row of aggregates) {
    const key = groupKey({ ...row, mask: '' });
    const current = best.get(key);
    if (!current || row.mean > current.mean) best.set(key, row);
  }
  return [...best.values()];
}

/**
 * Per-seed sentence counts of both sides, when every shared seed has predictions that reproduce its stored score
 * (so the bootstrap tests the table's Δ); otherwise why not.
 */
function bootstrapInput(
  mine: readonly ResultRow[],
  theirs: readonly ResultRow[],
  metric: string,
  countsOf: (row: ResultRow & { predictionsPath: string }) => SentenceCounts[],
): { a: SentenceCounts[]; b: SentenceCounts[] }[] | string {
  if (metric !== DEFAULT_METRIC) return `the sentence bootstrap resamples test F1, not ${metric}`;
  const strata = [];
  for (let i = 0; i < mine.length; i++) {
    const sides = [mine[i], theirs[i]].map((row) => {
      if (!row.predictionsPath) return `seed ${row.seed} of ${row.mask} has no test predictions`;
      const counts = countsOf({ ...row, predictionsPath: row.predictionsPath });
      if (Math.abs(microF1(counts) - row.score) > 1e-9)
        return `the test predictions of ${row.mask} seed ${row.seed} do not reproduce its ${metric}`;
      return counts;
    });
    const [a, b] = sides;
    if (typeof a === 'string') return a;
    if (typeof b === 'string') return b;
    if (a.length !== b.length) return `seed ${mine[i].seed}: the two masks' predictions cover different sentences`;
    strata.push({ a, b });
  }
  return strata;
}

/**
 * Every mask against a reference mask (e.g. all-causal) on the same backbone, dataset and head, paired by seed:
 * Δ = the mean per-seed difference, a two-sided paired t-test over seeds (from MIN_SEEDS_FOR_T_TEST seeds), a
 * two-sided paired bootstrap over test sentences stratified by seed (testing the same Δ), 95% intervals, and
 * Holm–Bonferroni adjusted p-values across the masks compared here.
 */
export function compareTo(
  rows: readonly ResultRow[],
  isReference: (mask: string) => boolean,
  bootstrapSamples = 1000,
  metric = DEFAULT_METRIC,
): Comparison[] {
  const comparisons: Comparison[] = [];
  const cells = new Map(rows.map((r) => [`${groupKey(r)}\u0000${r.seed}`, r]));
  const groups = aggregate(rows, 0);
  // a reference cell's predictions serve every mask compared with it: read and score each file once
  const counted = new Map<string, SentenceCounts[]>();
  const countsOf = (row: ResultRow & { predictionsPath: string }) => {
    const counts = counted.get(row.predictionsPath) ?? sentenceCounts(row.predictionsPath, row.scoring, row.measure);
    counted.set(row.predictionsPath, counts);
    return counts;
  };
  for (const group of groups) {
    if (isReference(group.mask)) continue;
    const reference = groups.find(
      (g) =>
        isReference(g.mask) &&
        g.backbone === group.backbone &&
        g.dataset === group.dataset &&
        g.head === group.head &&
        g.input === group.input,
    );
    if (!reference) continue;
    const seeds = group.seeds.filter((s) => reference.seeds.includes(s));
    if (seeds.length === 0) continue;
    const mine = seeds.map((s) => cells.get(`${groupKey(group)}\u0000${s}`) as ResultRow);
    const theirs = seeds.map((s) => cells.get(`${groupKey(reference)}\u0000${s}`) as ResultRow);
    const differences = mine.map((r, i) => r.score - theirs[i].score);
    const strata = bootstrapInput(mine, theirs, metric, countsOf);
    const bootstrap = typeof strata === 'string' ? undefined : pairedBootstrap(strata, bootstrapSamples);
    const seedCi = bootstrapMeanCi(differences, bootstrapSamples);
    comparisons.push({
      backbone: group.backbone,
      dataset: group.dataset,
      head: group.head,
      ...(group.input !== undefined && { input: group.input }),
      mask: group.mask,
      reference: reference.mask,
      delta: meanStd(differences).mean,
      ci: bootstrap?.ci ?? seedCi,
      ciFrom: bootstrap ? 'sentences' : seedCi ? 'seeds' : null,
      seedP:
        seeds.length >= MIN_SEEDS_FOR_T_TEST
          ? pairedTTest(
              mine.map((r) => r.score),
              theirs.map((r) => r.score),
            ).p
          : null,
      seedPHolm: null,
      bootstrapP: bootstrap?.p ?? null,
      bootstrapPHolm: null,
      ...(typeof strata === 'string' && { bootstrapSkipped: strata }),
      sharedSeeds: seeds.length,
    });
  }
  const seedHolm = holmAdjust(comparisons.map((c) => c.seedP));
  const bootstrapHolm = holmAdjust(comparisons.map((c) => c.bootstrapP));
  return comparisons.map((c, i) => ({ ...c, seedPHolm: seedHolm[i], bootstrapPHolm: bootstrapHolm[i] }));
}
