import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { harnessErrors } from '../errors.js';
import type { RunStore } from '../store/run-store.js';
import { type AggregateRow, aggregate, bestMasks, compareTo } from './aggregate.js';
import { escapeHtml, markdownToHtml } from './markdown-html.js';
import { groupHeatmapSpec, maskChartSpec, renderSvg } from './plots.js';
import { collectResults, DEFAULT_METRIC, type ResultRow } from './report-data.js';
import { bestTable, comparisonTable, meanTable } from './report-tables.js';

export interface ReportOptions {
  suiteName: string;
  outDir: string;
  /** Final metric compared across cells (default `test.f1`). */
  metric?: string;
  /** Bootstrap resamples for every interval and bootstrap test (default 1000). */
  bootstrapSamples?: number;
}

export interface WrittenReport {
  markdown: string;
  csv: string;
  html: string;
  /** Every plot as its own SVG file beside report.html. */
  svgs: string[];
  cells: number;
}

const isCausal = (mask: string) => mask === 'causal' || /^groups:0+$/.test(mask);
const isBidirectional = (mask: string) => mask === 'bidirectional' || /^groups:1+$/.test(mask);

/** The CSV of the aggregates; `std` is empty for a single seed (undefined), `n_seeds` says why. */
function csvOf(aggregates: AggregateRow[]): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const inputs = aggregates.some((a) => a.input !== undefined);
  const lines = aggregates.map((a) =>
    [
      a.backbone,
      a.mask,
      ...(inputs ? [a.input ?? 'identity'] : []),
      a.dataset,
      a.head,
      a.mean,
      a.std,
      a.seeds.length,
      a.scores.join(' '),
    ]
      .map((v) => (typeof v === 'string' ? quote(v) : v === null ? '' : String(v)))
      .join(','),
  );
  return `backbone,mask,${inputs ? 'input,' : ''}dataset,head,mean,std,n_seeds,scores\n${lines.join('\n')}\n`;
}

/** Which datasets are scored by token accuracy instead of the F1 asked for, as a sentence; empty when none. */
function accuracyNote(rows: readonly ResultRow[]): string {
  const datasets = [...new Set(rows.flatMap((r) => (r.measure === 'accuracy' ? [r.dataset] : [])))];
  if (datasets.length === 0) return '';
  return ` The tags of ${datasets.join(', ')} mark no spans (part-of-speech tags), where span F1 is undefined: their scores, intervals and tests are token accuracy (test.accuracy) instead.`;
}

/** Writes a file whole or not at all (temp file + rename). */
function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** A plot of the report: its file name beside report.html, heading and rendered SVG. */
interface Plot {
  file: string;
  id: string;
  heading: string;
  svg: string;
}

/**
 * Writes report.md, results.csv, a self-contained report.html (inline SVG plots) and each plot as its own .svg file
 * for one suite: mean ± std with 95% intervals per backbone × mask × dataset, the best mask, and Δ against
 * all-causal and all-bidirectional with two-sided tests, intervals and Holm–Bonferroni adjusted p-values.
 */
export async function writeReport(store: RunStore, options: ReportOptions): Promise<WrittenReport> {
  const metric = options.metric ?? DEFAULT_METRIC;
  const { rows, missing } = collectResults(store, options.suiteName, metric);
  if (rows.length === 0) throw harnessErrors.nothingToReport(options.suiteName, metric);
  const samples = options.bootstrapSamples ?? 1000;
  const aggregates = aggregate(rows, samples);
  // plots name a row by its mask; with an input axis, by mask and input transform
  const plotted = aggregates.map((a) => (a.input === undefined ? a : { ...a, mask: `${a.mask} · ${a.input}` }));
  const heatmap = groupHeatmapSpec(aggregates, metric);
  const plots: Plot[] = [
    ...(heatmap
      ? [{ file: 'group-patterns.svg', id: 'heatmap', heading: 'Group patterns', svg: await renderSvg(heatmap) }]
      : []),
    {
      file: 'masks.svg',
      id: 'bars',
      heading: 'Masks: layers and mean',
      svg: await renderSvg(maskChartSpec(plotted, metric)),
    },
  ];

  const sections = [
    `# ${options.suiteName}: ${metric}`,
    `${rows.length} finished cells${missing.length ? `; ${missing.length} finished cells lack ${metric} and are left out` : ''}.${accuracyNote(rows)}`,
    meanTable(aggregates, metric, samples),
    bestTable(bestMasks(aggregates), metric),
    comparisonTable('Δ against all-causal', compareTo(rows, isCausal, samples, metric), metric, samples),
    comparisonTable('Δ against all-bidirectional', compareTo(rows, isBidirectional, samples, metric), metric, samples),
  ];
  const markdown = [...sections, `## Plots\n\n${plots.map((p) => `${p.file}`).join(', ')} beside this file.\n`].join(
    '\n\n',
  );

  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const paths = {
    markdown: join(outDir, 'report.md'),
    csv: join(outDir, 'results.csv'),
    html: join(outDir, 'report.html'),
  };
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(options.suiteName)} report</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:80em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}pre{white-space:pre-wrap}</style>
</head><body>
${markdownToHtml(sections.join('\n\n'))}
${plots.map((p) => `<h2>${escapeHtml(p.heading)}</h2><div id="${p.id}">${p.svg}</div><p><a href="${p.file}">${p.file}</a></p>`).join('\n')}
</body></html>
`;
  writeAtomic(paths.markdown, markdown);
  writeAtomic(paths.csv, csvOf(aggregates));
  writeAtomic(paths.html, html);
  if (!heatmap) rmSync(join(outDir, 'group-patterns.svg'), { force: true });
  const svgs = plots.map((p) => join(outDir, p.file));
  for (const [i, plot] of plots.entries()) writeAtomic(svgs[i], plot.svg);
  return { ...paths, svgs, cells: rows.length };
}
