import type { ResultRow } from './report-data.js';
import { sentenceCounts } from './report-data.js';
import { meanStd, pairedBootstrap, pairedTTest } from './statistics.js';

/** Mean ± std over seeds of one backbone × mask × dataset (× head). */
export interface AggregateRow {
  backbone: string;
  mask: string;
  dataset: string;
  head: string;
  mean: number;
  /** Sample std over seeds; null for a single seed, where it is undefined (reports print n/a). */
  std: number | null;
  seeds: number[];
  scores: number[];
}

/** A comparison of one mask against a reference mask on the same backbone, dataset, head and seeds. */
export interface Comparison {
  backbone: string;
  dataset: string;
  head: string;
  mask: string;
  reference: string;
  delta: number;
  /** Paired t-test over shared seeds (two-sided). */
  seedP: number;
  /** Paired bootstrap over the test sentences of all shared seeds (one-sided: the mask is better), when predictions exist. */
  bootstrapP: number | null;
  sharedSeeds: number;
}

const groupKey = (r: { backbone: string; mask: string; dataset: string; head: string }) =>
  `${r.backbone}\u0000${r.mask}\u0000${r.dataset}\u0000${r.head}`;

/** Groups rows by backbone × mask × dataset × head, in first-seen order. */
export function aggregate(rows: readonly ResultRow[]): AggregateRow[] {
  const groups = new Map<string, ResultRow[]>();
  for (const row of rows) groups.set(groupKey(row), [...(groups.get(groupKey(row)) ?? []), row]);
  return [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => a.seed - b.seed);
    const { mean, std, n } = meanStd(sorted.map((r) => r.score));
    const { backbone, mask, dataset, head } = sorted[0];
    return {
      backbone,
      mask,
      dataset,
      head,
      mean,
      std: n > 1 ? std : null,
      seeds: sorted.map((r) => r.seed),
      scores: sorted.map((r) => r.score),
    };
  });
}

/** The best mask per backbone × dataset × head, by mean score. */
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
 * Every mask against a reference mask (e.g. all-causal) on the same backbone, dataset and head, paired by seed:
 * the mean difference, a paired t-test over seeds, and a paired bootstrap over sentences.
 */
export function compareTo(
  rows: readonly ResultRow[],
  isReference: (mask: string) => boolean,
  bootstrapSamples = 1000,
): Comparison[] {
  const comparisons: Comparison[] = [];
  const cells = new Map(rows.map((r) => [`${groupKey(r)}\u0000${r.seed}`, r]));
  for (const group of aggregate(rows)) {
    if (isReference(group.mask)) continue;
    const reference = aggregate(rows).find(
      (g) =>
        isReference(g.mask) && g.backbone === group.backbone && g.dataset === group.dataset && g.head === group.head,
    );
    if (!reference) continue;
    const seeds = group.seeds.filter((s) => reference.seeds.includes(s));
    if (seeds.length === 0) continue;
    const mine = seeds.map((s) => cells.get(`${groupKey(group)}\u0000${s}`) as ResultRow);
    const theirs = seeds.map((s) => cells.get(`${groupKey(reference)}\u0000${s}`) as ResultRow);
    const a = mine.map((r) => r.score);
    const b = theirs.map((r) => r.score);
    // sentences of every shared seed with predictions on both sides, paired seed by seed
    const paired = seeds.map((_, i) => [mine[i].predictionsPath, theirs[i].predictionsPath]).filter(([a, b]) => a && b);
    const bootstrapP = paired.length
      ? pairedBootstrap(
          paired.flatMap(([a]) => sentenceCounts(a as string)),
          paired.flatMap(([, b]) => sentenceCounts(b as string)),
          bootstrapSamples,
        ).p
      : null;

    comparisons.push({
      backbone: group.backbone,
      dataset: group.dataset,
      head: group.head,
      mask: group.mask,
      reference: reference.mask,
      delta: meanStd(a).mean - meanStd(b).mean,
      seedP: pairedTTest(a, b).p,
      bootstrapP,
      sharedSeeds: seeds.length,
    });
  }
  return comparisons;
}
