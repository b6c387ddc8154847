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

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
/** Colours of a layer's attention: open (bidirectional) dark, causal light, windowed between. */
const ATTENTION = { domain: ['bidirectional', 'window', 'causal'], range: ['#1f4e79', '#7fa7cf', '#e6e6e6'] };
const STATE: Record<string, string> = { '1': 'bidirectional', w: 'window', '0': 'causal' };

/** The panels of a report: one per backbone × dataset × head, in first-seen order. */
function panels(rows: readonly AggregateRow[]): [string, AggregateRow[]][] {
  const byPanel = new Map<string, AggregateRow[]>();
  for (const r of rows) {
    const panel = `${r.backbone} / ${r.dataset} / ${r.head}`;
    byPanel.set(panel, [...(byPanel.get(panel) ?? []), r]);
  }
  return [...byPanel.entries()];
}

/** One strip per mask: a square per layer, dark where the layer is open (bidirectional); first layer nearest the input. */
function layerStrip(rows: readonly AggregateRow[]) {
  const values = rows.flatMap((r) =>
    [...(r.layers ?? '')].map((c, layer) => ({ mask: r.mask, layer, attention: STATE[c] })),
  );
  return {
    data: { values },
    width: { step: 16 },
    mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
    encoding: {
      x: { field: 'layer', type: 'ordinal', title: 'layer (0 = input)' },
      y: { field: 'mask', type: 'nominal', sort: rows.map((r) => r.mask), title: null },
      color: { field: 'attention', type: 'nominal', scale: ATTENTION, title: 'attention' },
    },
  };
}

/** The name of what `rows` score: token accuracy where it stands in for F1 (tags without spans), else `metric`. */
const measureOf = (rows: readonly AggregateRow[], metric: string) =>
  rows.some((r) => r.measure === 'accuracy') ? 'test.accuracy' : metric;

/** Horizontal bars of the mean per mask with its 95% interval (none for a single seed). */
function meanBars(rows: readonly AggregateRow[], metric: string, labels: boolean) {
  const measure = measureOf(rows, metric);
  const values = rows.map((r) => ({ mask: r.mask, mean: r.mean, low: r.ci?.low ?? null, high: r.ci?.high ?? null }));
  const y = {
    field: 'mask',
    type: 'nominal',
    sort: rows.map((r) => r.mask),
    title: null,
    ...(!labels && { axis: { labels: false, ticks: false } }),
  };
  return {
    data: { values },
    width: 360,
    layer: [
      {
        mark: { type: 'bar', color: '#f28e2b' },
        encoding: { y, x: { field: 'mean', type: 'quantitative', title: measure } },
      },
      {
        // vega-lite drops a datum whose low/high is null: a single seed gets no interval
        mark: { type: 'errorbar', ticks: true, color: 'black' },
        encoding: { y, x: { field: 'low', type: 'quantitative', title: measure }, x2: { field: 'high' } },
      },
    ],
  };
}

/**
 * Each mask as its layer strip (which layers are open) beside its label and a bar of its mean with the 95%
 * interval, one row of panels per backbone × dataset × head. Masks without recorded layers get an empty strip.
 */
export function maskChartSpec(rows: readonly AggregateRow[], metric: string): TopLevelSpec {
  const withStrips = rows.some((r) => r.layers);
  return {
    $schema: SCHEMA,
    title: `${metric}: mean over seeds with 95% bootstrap interval; strips show each layer's attention`,
    config: { view: { step: 22 }, axis: { labelFontSize: 12, titleFontSize: 12 } },
    vconcat: panels(rows).map(([panel, group]) => ({
      title: panel,
      hconcat: withStrips ? [layerStrip(group), meanBars(group, metric, false)] : [meanBars(group, metric, true)],
    })),
  } as TopLevelSpec;
}

/**
 * The paper's group-pattern figure: mean score per pattern (columns "00…0" to "11…1") and backbone (rows) as a
 * heatmap, above each pattern drawn as its layer groups (dark = open), first group nearest the input; one figure
 * per dataset. Undefined without `groups:` masks.
 */
export function groupHeatmapSpec(rows: readonly AggregateRow[], metric: string): TopLevelSpec | undefined {
  const patterned = rows.filter((r) => groupPattern(r.mask));
  if (patterned.length === 0) return undefined;
  const patterns = [...new Set(patterned.map((r) => groupPattern(r.mask) as string))].sort();
  const groupCount = Math.max(...patterns.map((p) => p.length));
  const layerCount = patterned.find((r) => r.layers)?.layers?.length;
  const groupName = (g: number) => {
    if (!layerCount || layerCount % groupCount !== 0) return `group ${g + 1}`;
    const size = layerCount / groupCount;
    return `layers ${g * size}–${(g + 1) * size - 1}`;
  };
  const x = { field: 'pattern', type: 'ordinal', sort: patterns, title: null };
  const blocks = patterns.flatMap((pattern) =>
    [...pattern].map((c, g) => ({ pattern, group: groupName(g), attention: STATE[c] })),
  );
  const datasets = [...new Set(patterned.map((r) => r.dataset))];
  const midpoint = (dataset: string) => {
    const means = patterned.filter((r) => r.dataset === dataset).map((r) => r.mean);
    return (Math.min(...means) + Math.max(...means)) / 2;
  };
  return {
    $schema: SCHEMA,
    title: `${metric} per group pattern (dark block = group bidirectional; top group nearest the input)`,
    config: { view: { step: 40 }, axis: { labelFontSize: 11 } },
    vconcat: datasets.map((dataset) => ({
      title: dataset,
      spacing: 4,
      resolve: { scale: { color: 'independent' } },
      vconcat: [
        {
          data: {
            values: patterned
              .filter((r) => r.dataset === dataset)
              .map((r) => ({ pattern: groupPattern(r.mask), backbone: r.backbone, mean: r.mean })),
          },
          layer: [
            {
              mark: 'rect',
              encoding: {
                x: { ...x, axis: null },
                y: { field: 'backbone', type: 'nominal', title: null },
                color: {
                  field: 'mean',
                  type: 'quantitative',
                  title: measureOf(
                    patterned.filter((r) => r.dataset === dataset),
                    metric,
                  ),
                  scale: { scheme: 'viridis' },
                },
              },
            },
            {
              mark: { type: 'text', fontSize: 9 },
              encoding: {
                x,
                y: { field: 'backbone', type: 'nominal' },
                text: { field: 'mean', type: 'quantitative', format: '.3f' },
                // dark text on the light (high) half of viridis, white on the dark half
                color: { condition: { test: `datum.mean > ${midpoint(dataset)}`, value: 'black' }, value: 'white' },
              },
            },
          ],
        },
        {
          data: { values: blocks },
          height: { step: 14 },
          mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
          encoding: {
            x: { ...x, title: 'group pattern' },
            y: { field: 'group', type: 'ordinal', sort: null, title: null },
            color: { field: 'attention', type: 'nominal', scale: ATTENTION, legend: null },
          },
        },
      ],
    })),
  } as TopLevelSpec;
}
