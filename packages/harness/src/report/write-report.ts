import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { harnessErrors } from '../errors.js';
import type { RunStore } from '../store/run-store.js';
import { type AggregateRow, aggregate, bestMasks, type Comparison, compareTo } from './aggregate.js';
import { groupHeatmapSpec, maskBarsSpec, renderSvg } from './plots.js';
import { collectResults } from './report-data.js';

export interface ReportOptions {
  suiteName: string;
  outDir: string;
  /** Final metric compared across cells (default `test.f1`). */
  metric?: string;
  bootstrapSamples?: number;
}

export interface WrittenReport {
  markdown: string;
  csv: string;
  html: string;
  cells: number;
}

const isCausal = (mask: string) => mask === 'causal' || /^groups:0+$/.test(mask);
const isBidirectional = (mask: string) => mask === 'bidirectional' || /^groups:1+$/.test(mask);
const pct = (x: number) => (100 * x).toFixed(2);
const pValue = (p: number | null) => (p === null || Number.isNaN(p) ? 'n/a' : p < 0.001 ? '<0.001' : p.toFixed(3));

function table(header: string[], rows: string[][]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function comparisonTable(title: string, comparisons: Comparison[]): string {
  if (comparisons.length === 0) return `## ${title}\n\nNo reference cells in this suite.\n`;
  return `## ${title}\n\n${table(
    [
      'backbone',
      'dataset',
      'head',
      'mask',
      'Δ (points)',
      'p (paired t over seeds)',
      'p (paired bootstrap over sentences, one-sided)',
      'seeds',
    ],
    comparisons.map((c) => [
      c.backbone,
      c.dataset,
      c.head,
      c.mask,
      pct(c.delta),
      pValue(c.seedP),
      pValue(c.bootstrapP),
      String(c.sharedSeeds),
    ]),
  )}\n`;
}

/** `51.00 ± 1.41` in points; a single seed has no sample std, so `51.00 ± n/a`. */
function meanAndStd(a: AggregateRow): string {
  return `${pct(a.mean)} ± ${a.std === null ? 'n/a' : pct(a.std)}`;
}

/** The CSV of the aggregates; `std` is empty for a single seed (undefined), `n_seeds` says why. */
function csvOf(aggregates: AggregateRow[]): string {
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const lines = aggregates.map((a) =>
    [a.backbone, a.mask, a.dataset, a.head, a.mean, a.std, a.seeds.length, a.scores.join(' ')]
      .map((v) => (typeof v === 'string' ? quote(v) : v === null ? '' : String(v)))
      .join(','),
  );
  return `backbone,mask,dataset,head,mean,std,n_seeds,scores\n${lines.join('\n')}\n`;
}

/** Writes a file whole or not at all (temp file + rename). */
function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/**
 * Writes report.md, results.csv and a self-contained report.html (inline SVG plots) for one suite: mean ± std per
 * backbone × mask × dataset, the best mask, encoders beside decoders, and Δ against all-causal and
 * all-bidirectional with significance tests.
 */
export async function writeReport(store: RunStore, options: ReportOptions): Promise<WrittenReport> {
  const metric = options.metric ?? 'test.f1';
  const { rows, missing } = collectResults(store, options.suiteName, metric);
  if (rows.length === 0) throw harnessErrors.nothingToReport(options.suiteName, metric);
  const aggregates = aggregate(rows);
  const samples = options.bootstrapSamples ?? 1000;
  const vsCausal = compareTo(rows, isCausal, samples);
  const vsBidirectional = compareTo(rows, isBidirectional, samples);
  const heatmap = groupHeatmapSpec(aggregates, metric);
  const heatmapSvg = heatmap ? await renderSvg(heatmap) : undefined;
  const barsSvg = await renderSvg(maskBarsSpec(aggregates, metric));

  const markdown = [
    `# ${options.suiteName}: ${metric}`,
    `${rows.length} finished cells${missing.length ? `; ${missing.length} finished cells lack ${metric} and are left out` : ''}. Scores in points (×100); mean ± sample std over seeds (n/a for a single seed).`,
    `## Mean ± std over seeds\n\n${table(
      ['backbone', 'mask', 'dataset', 'head', metric, 'seeds'],
      aggregates.map((a) => [a.backbone, a.mask, a.dataset, a.head, meanAndStd(a), a.seeds.join(',')]),
    )}\n`,
    `## Best mask per backbone and dataset\n\n${table(
      ['backbone', 'dataset', 'head', 'best mask', metric],
      bestMasks(aggregates).map((a) => [a.backbone, a.dataset, a.head, a.mask, meanAndStd(a)]),
    )}\n`,
    comparisonTable('Δ against all-causal', vsCausal),
    comparisonTable('Δ against all-bidirectional', vsBidirectional),
    `## Plots\n\nreport.html beside this file holds ${heatmapSvg ? 'the group-pattern heatmap and ' : ''}the bar chart.\n`,
  ].join('\n\n');

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
${markdownToHtml(markdown)}
${heatmapSvg ? `<h2>Heatmap over group patterns</h2><div id="heatmap">${heatmapSvg}</div>` : ''}
<h2>Mean ± std per mask</h2><div id="bars">${barsSvg}</div>
</body></html>
`;
  writeAtomic(paths.markdown, markdown);
  writeAtomic(paths.csv, csvOf(aggregates));
  writeAtomic(paths.html, html);
  return { ...paths, cells: rows.length };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The small Markdown subset the report uses: headings, paragraphs and pipe tables. */
function markdownToHtml(markdown: string): string {
  return markdown
    .split(/\n\n+/)
    .map((block) => {
      const lines = block.trim().split('\n');
      if (lines[0].startsWith('#')) {
        const level = lines[0].match(/^#+/)![0].length;
        return `<h${level}>${escapeHtml(lines[0].slice(level).trim())}</h${level}>${lines.length > 1 ? markdownToHtml(lines.slice(1).join('\n')) : ''}`;
      }
      if (lines[0].startsWith('|')) {
        const cells = (line: string) =>
          line
            .slice(1, -1)
            .split('|')
            .map((c) => escapeHtml(c.trim()));
        const [head, , ...body] = lines;
        return `<table><thead><tr>${cells(head)
          .map((c) => `<th>${c}</th>`)
          .join('')}</tr></thead><tbody>${body
          .map(
            (l) =>
              `<tr>${cells(l)
                .map((c) => `<td>${c}</td>`)
                .join('')}</tr>`,
          )
          .join('')}</tbody></table>`;
      }
      return `<p>${escapeHtml(block)}</p>`;
    })
    .join('\n');
}
