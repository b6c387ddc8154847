import type { ChunkCounts, CountTable } from './chunk-counts.js';

/** Precision, recall and F1 as fractions (0..1); x/0 is 0, as in seqeval and conlleval. */
export interface Prf {
  precision: number;
  recall: number;
  f1: number;
}

/** Scores of one chunk type. `support` is the gold count (seqeval's meaning). */
export interface TypeScore extends Prf {
  support: number;
  predicted: number;
  correct: number;
}

/** A full span-metric report; the JSON form of `eval-predictions --json`. */
export interface MetricsReport extends Prf {
  /** Which reading of the tags produced the counts. */
  scorer: 'conlleval' | 'seqeval-default' | 'seqeval-strict';
  scheme?: string;
  /** Token accuracy: tokens whose gold and predicted tags are equal strings, over all tokens. */
  accuracy: number;
  per_type: Record<string, TypeScore>;
  counts: { tokens: number; correct_tags: number; gold: number; predicted: number; correct: number };
  /** seqeval's classification_report macro and weighted averages; null where seqeval gives NaN (no types). */
  averages: { macro: Prf | null; weighted: Prf | null };
}

const divide = (num: number, den: number): number => (den === 0 ? 0 : num / den);

/** seqeval's arithmetic: P = tp/pred, R = tp/true, F1 = 2PR/(P+R) in float64, 0 where undefined. */
export function prfFromCounts(counts: ChunkCounts): Prf {
  const precision = divide(counts.correct, counts.predicted);
  const recall = divide(counts.correct, counts.gold);
  const denominator = precision + recall;
  return { precision, recall, f1: denominator === 0 ? 0 : (2 * precision * recall) / denominator };
}

/** A weighted mean of per-type scores; NaN (null) for no weights at all, 0 when the weights sum to 0 (sklearn). */
function average(types: TypeScore[], weight: (t: TypeScore) => number, weighted: boolean): Prf | null {
  const total = types.reduce((sum, t) => sum + weight(t), 0);
  if (types.length === 0 && !weighted) return null;
  const mean = (pick: (t: TypeScore) => number): number =>
    total === 0 ? 0 : types.reduce((sum, t) => sum + pick(t) * weight(t), 0) / total;
  return { precision: mean((t) => t.precision), recall: mean((t) => t.recall), f1: mean((t) => t.f1) };
}

/** Turns counts into a report; types are sorted as strings, as conlleval and seqeval sort them. */
export function reportFromCounts(table: CountTable, scorer: MetricsReport['scorer'], scheme?: string): MetricsReport {
  const per_type: Record<string, TypeScore> = {};
  const types = [...table.perType.keys()].sort();
  for (const type of types) {
    const counts = table.perType.get(type)!;
    per_type[type] = {
      ...prfFromCounts(counts),
      support: counts.gold,
      predicted: counts.predicted,
      correct: counts.correct,
    };
  }
  const scores = Object.values(per_type);
  return {
    scorer,
    ...(scheme ? { scheme } : {}),
    accuracy: divide(table.correctTags, table.tokens),
    ...prfFromCounts(table.overall),
    per_type,
    counts: {
      tokens: table.tokens,
      correct_tags: table.correctTags,
      gold: table.overall.gold,
      predicted: table.overall.predicted,
      correct: table.overall.correct,
    },
    averages: { macro: average(scores, () => 1, false), weighted: average(scores, (t) => t.support, true) },
  };
}
