import * as vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { compile } from 'vega-lite';
import type { AggregateRow } from './aggregate.js';

/** The group pattern of a `mask:groups` label (`groups:0101` → `0101`), else undefined. */
export const groupPattern = (maskLabel: string) => /^groups:([01]+)$/.exec(maskLabel)?.[1];

/** Renders a vega-lite spec to a standalone SVG string, server-side, without a browser or canvas. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Heatmap of mean score over group patterns (x) and backbones (y), one panel per dataset; undefined without patterns. */
export function groupHeatmapSpec(rows: readonly AggregateRow[], metric: string): TopLevelSpec | undefined {
  const values = rows
    .filter((r) => groupPattern(r.mask))
    .map((r) => ({ pattern: groupPattern(r.mask), backbone: r.backbone, dataset: r.dataset, mean: r.mean }));
  if (values.length === 0) return undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${metric} by unmasked layer groups (1 = bidirectional, first digit nearest the input)`,
    data: { values },
    config: { view: { step: 34 } },
    facet: { row: { field: 'dataset', type: 'nominal', title: null } },
    spec: {
      layer: [
        {
          mark: 'rect',
          encoding: {
            x: { field: 'pattern', type: 'ordinal', sort: 'ascending', title: 'group pattern' },
            y: { field: 'backbone', type: 'nominal', title: null },
            color: { field: 'mean', type: 'quantitative', title: metric, scale: { scheme: 'viridis' } },
          },
        },
        {
          mark: { type: 'text', fontSize: 9 },
          encoding: {
            x: { field: 'pattern', type: 'ordinal', sort: 'ascending' },
            y: { field: 'backbone', type: 'nominal' },
            text: { field: 'mean', type: 'quantitative', format: '.3f' },
            color: { value: 'white' },
          },
        },
      ],
    },
  } as TopLevelSpec;
}

/** Bars of mean score per mask with ±1 std error bars, one panel per backbone × dataset. */
export function maskBarsSpec(rows: readonly AggregateRow[], metric: string): TopLevelSpec {
  const values = rows.map((r) => ({
    mask: r.mask,
    panel: `${r.backbone} / ${r.dataset}`,
    mean: r.mean,
    // a single seed has no std: no error bar (vega-lite drops a datum whose low/high is null)
    low: r.std === null ? null : r.mean - r.std,
    high: r.std === null ? null : r.mean + r.std,
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `${metric}: mean ± std over seeds`,
    data: { values },
    config: { view: { step: 34 } },
    facet: { row: { field: 'panel', type: 'nominal', title: null } },
    spec: {
      layer: [
        {
          mark: 'bar',
          encoding: {
            x: { field: 'mask', type: 'nominal', title: null },
            y: { field: 'mean', type: 'quantitative', title: metric },
          },
        },
        {
          mark: { type: 'errorbar', ticks: true },
          encoding: {
            x: { field: 'mask', type: 'nominal' },
            y: { field: 'low', type: 'quantitative', title: metric },
            y2: { field: 'high' },
          },
        },
      ],
    },
  } as TopLevelSpec;
}
