import { type AggregateRow, type Comparison, MIN_SEEDS_FOR_T_TEST } from './aggregate.js';
import type { Interval } from './bootstrap.js';

const pct = (x: number) => (100 * x).toFixed(2);
const pValue = (p: number | null) => (p === null || Number.isNaN(p) ? 'n/a' : p < 0.001 ? '<0.001' : p.toFixed(3));
/** `[49.20, 52.80]` in points, or n/a. */
const interval = (ci: Interval | null) => (ci ? `[${pct(ci.low)}, ${pct(ci.high)}]` : 'n/a');

/** A Markdown pipe table. */
export function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** `51.00 ± 1.41` in points; a single seed has no sample std, so `51.00 ± n/a`. */
export function meanAndStd(a: AggregateRow): string {
  return `${pct(a.mean)} ± ${a.std === null ? 'n/a' : pct(a.std)}`;
}

/** Whether rows come from a suite with an `input` axis (the tables then show an input column after the mask). */
const hasInputs = (rows: readonly { input?: string }[]) => rows.some((r) => r.input !== undefined);
/** The input column's header and cell, or nothing for a suite without an `input` axis. */
const inputColumn = (show: boolean, r?: { input?: string }) => (show ? [r ? (r.input ?? 'identity') : 'input'] : []);

/** The mean table: mean ± std, seeds, the 95% interval of the mean and the layer masks. */
export function meanTable(aggregates: readonly AggregateRow[], metric: string, samples: number): string {
  const inputs = hasInputs(aggregates);
  return `## Mean ± std over seeds\n\nScores in points (×100); mean ± sample std over seeds (n/a for a single seed). 95% CI: bootstrap percentile interval of the mean, resampling seeds (${samples} resamples, seeded; n/a for a single seed). Layers: one character per layer from the input up, 1 = bidirectional, 0 = causal, w = windowed.\n\n${table(
    ['backbone', 'mask', ...inputColumn(inputs), 'dataset', 'head', metric, 'seeds', '95% CI', 'layers'],
    aggregates.map((a) => [
      a.backbone,
      a.mask,
      ...inputColumn(inputs, a),
      a.dataset,
      a.head,
      meanAndStd(a),
      a.seeds.join(','),
      interval(a.ci),
      a.layers ?? 'n/a',
    ]),
  )}\n`;
}

/** The best mask per backbone × dataset × head, with its interval. */
export function bestTable(best: readonly AggregateRow[], metric: string): string {
  const inputs = hasInputs(best);
  return `## Best mask per backbone and dataset${inputs ? ' (per input transform)' : ''}\n\n${table(
    ['backbone', 'dataset', 'head', ...inputColumn(inputs), 'best mask', metric, '95% CI'],
    best.map((a) => [a.backbone, a.dataset, a.head, ...inputColumn(inputs, a), a.mask, meanAndStd(a), interval(a.ci)]),
  )}\n`;
}

/** What a comparison table's columns mean, and which of its tests cannot support a claim. */
function comparisonNotes(comparisons: readonly Comparison[], reference: string, metric: string, samples: number) {
  const notes = [
    `Δ = mean over shared seeds of (mask − ${reference}) ${metric}, in points. Both tests test this Δ, two-sided: a paired t-test over seeds, and a paired bootstrap over test sentences stratified by seed (${samples} resamples, seeded), which rescores each seed's predictions with the cell's own scorer and averages the per-seed F1 differences; its p is twice the smaller share of resampled Δ on either side of 0, so p < 0.05 goes with an interval that excludes 0. 95% CI of Δ: bootstrap percentile interval (over sentences where the bootstrap ran, else over seeds). The smallest bootstrap p is 2/(resamples + 1). Holm: Holm–Bonferroni adjusted p across the ${comparisons.length} masks of this table.`,
  ];
  const fewSeeds = comparisons.filter((c) => c.sharedSeeds < MIN_SEEDS_FOR_T_TEST);
  if (fewSeeds.length)
    notes.push(
      `With fewer than ${MIN_SEEDS_FOR_T_TEST} seeds the paired t-test cannot support a claim (${fewSeeds.map((c) => `${c.mask} on ${c.dataset}: ${c.sharedSeeds}`).join(', ')} shared seeds), so its p is not reported; run more seeds.`,
    );
  const skipped = [...new Set(comparisons.flatMap((c) => (c.bootstrapSkipped ? [c.bootstrapSkipped] : [])))];
  if (skipped.length) notes.push(`No sentence bootstrap where ${skipped.join('; ')}.`);
  return notes.join('\n\n');
}

/** A Δ table against one reference mask (all-causal or all-bidirectional). */
export function comparisonTable(
  title: string,
  comparisons: readonly Comparison[],
  metric: string,
  samples: number,
): string {
  if (comparisons.length === 0) return `## ${title}\n\nNo reference cells in this suite.\n`;
  const reference = [...new Set(comparisons.map((c) => c.reference))].join(' / ');
  const inputs = hasInputs(comparisons);
  return `## ${title}\n\n${comparisonNotes(comparisons, reference, metric, samples)}\n\n${table(
    [
      'backbone',
      'dataset',
      'head',
      ...inputColumn(inputs),
      'mask',
      'Δ (points)',
      '95% CI of Δ',
      'p (paired t, seeds)',
      'p Holm (t)',
      'p (paired bootstrap, sentences)',
      'p Holm (bootstrap)',
      'seeds',
    ],
    comparisons.map((c) => [
      c.backbone,
      c.dataset,
      c.head,
      ...inputColumn(inputs, c),
      c.mask,
      pct(c.delta),
      interval(c.ci),
      pValue(c.seedP),
      pValue(c.seedPHolm),
      pValue(c.bootstrapP),
      pValue(c.bootstrapPHolm),
      String(c.sharedSeeds),
    ]),
  )}\n`;
}
