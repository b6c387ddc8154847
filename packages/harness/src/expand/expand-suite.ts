import { dirname, resolve } from 'node:path';
import type { CellFilter, MaskGrid, PluginContext, PluginRef, PluginRegistry, Recipe, Suite } from '@lookright/core';
import { canonicalJson, defaultRefs, expandMaskGrid, isMaskGrid, locateInFile } from '@lookright/core';
import { type DataProblem, harnessErrors } from '../errors.js';
import { type CellPoint, keepCell } from './cell-filter.js';
import { cellHash } from './cell-hash.js';
import type { Cell, DatasetFingerprint, ResolvedPlugin, RunnerIdentity } from './cell-types.js';
import { checkAxesAndFilters, type ResolvedAxes } from './check-axes.js';
import { checkMaskPairs } from './check-mask-pairs.js';
import { checkpointFingerprint } from './checkpoint-fingerprint.js';
import { corpusFingerprinter, type DatasetFingerprinter } from './dataset-fingerprint.js';
import { FileDigestCache } from './file-digest-cache.js';
import { type InputExpansion, measureInputExpansion } from './input-expansion.js';
import { isImpossibleParamError } from './param-errors.js';
import { expandPretrainCells, type PretrainCell, pretrainParamOf } from './pretrain-cells.js';
import { resolvePlugin } from './resolve-plugin.js';
import { type Override, resolveRecipe } from './resolve-recipe.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface ExpandOptions {
  registry: PluginRegistry;
  /** The suite file: names it in errors, and its folder is the plugins' baseDir. */
  suiteFile: string;
  runner: RunnerIdentity;
  /** Who executes pre-training cells (id, version, numerics); defaults to `runner`. */
  pretrainRunner?: RunnerIdentity;
  /** Defaults to process.env. */
  env?: Env;
  /** Defaults to loading each dataset's corpus (see corpusFingerprinter). */
  fingerprint?: DatasetFingerprinter;
  /** `error` (default) fails on unreadable data; `mark` records why in the fingerprint (for --dry-run). */
  missingData?: 'error' | 'mark';
  log?: (line: string) => void;
}

function resolveAxis(refs: readonly unknown[], axis: string, o: ExpandOptions, env: Env) {
  return (refs as PluginRef[]).map((ref, i) => ({
    plugin: resolvePlugin(ref, o.registry, env, `/axes/${axis}/${i}`),
    where: `/axes/${axis}/${i}`,
  }));
}

/** A suite's cells: the pre-training cells (run first) and the fine-tuning cells. */
export interface ExpandedSuite {
  pretrain: PretrainCell[];
  cells: Cell[];
}

/** The fine-tuning cells of a suite (expandSuiteWithPretraining without the pre-training cells). */
export async function expandSuite(suite: Suite, options: ExpandOptions): Promise<Cell[]> {
  return (await expandSuiteWithPretraining(suite, options)).cells;
}

/**
 * Expands a validated suite into its cells: backbone × dataset × mask (a grid becomes its 2^G patterns) × input ×
 * head × seed, in that nesting order, filtered by include/exclude, each with its recipe resolved and its content hash.
 * An axis entry given twice, or a filter value naming nothing on its axis, is a SuiteValidationError. A backbone
 * with a `pretrain` recipe gets one pre-training cell, whose hash its fine-tuning cells' hashes cover.
 */
export async function expandSuiteWithPretraining(suite: Suite, options: ExpandOptions): Promise<ExpandedSuite> {
  const env = options.env ?? process.env;
  const ctx: PluginContext = {
    baseDir: dirname(resolve(options.suiteFile)),
    env,
    log: options.log ?? (() => {}),
  };
  const axes: ResolvedAxes = {
    backbone: resolveAxis(suite.axes.backbone, 'backbone', options, env),
    mask: (suite.axes.mask as readonly (PluginRef | MaskGrid)[]).flatMap((entry, i) =>
      (isMaskGrid(entry) ? expandMaskGrid(entry.grid.groups, options.registry) : [entry]).map((ref) => ({
        plugin: resolvePlugin(ref, options.registry, env, `/axes/mask/${i}`),
        where: `/axes/mask/${i}`,
      })),
    ),
    dataset: resolveAxis(suite.axes.dataset, 'dataset', options, env),
    head: resolveAxis(suite.axes.head ?? defaultRefs(options.registry, 'head'), 'head', options, env),
    // the plugin declaring itself the input default (input:identity) fills a missing input axis; it adds nothing to a hash
    input: resolveAxis(suite.axes.input ?? defaultRefs(options.registry, 'input'), 'input', options, env),
    seed: suite.axes.seed ?? [1],
  };
  checkAxesAndFilters(options.suiteFile, axes, {
    include: suite.include as CellFilter[] | undefined,
    exclude: suite.exclude as CellFilter[] | undefined,
    overrides: suite.overrides as { when: CellFilter }[] | undefined,
  });
  const [backbones, masks, datasets, heads, inputs] = (['backbone', 'mask', 'dataset', 'head', 'input'] as const).map(
    (axis) => axes[axis].map((a) => a.plugin),
  );
  const seeds = axes.seed;

  const points: CellPoint[] = [];
  for (const backbone of backbones)
    for (const dataset of datasets)
      for (const mask of masks)
        for (const input of inputs)
          for (const head of heads)
            for (const seed of seeds) {
              const point = { backbone, mask, dataset, head, input, seed };
              if (keepCell(point, suite.include as CellFilter[] | undefined, suite.exclude as CellFilter[] | undefined))
                points.push(point);
            }
  if (points.length === 0) throw harnessErrors.noCells(options.suiteFile);
  const maskCheck = await checkMaskPairs(points, options.registry, ctx, options.missingData ?? 'error');
  for (const line of maskCheck.unchecked) ctx.log(line);
  if (maskCheck.problems.length) throw harnessErrors.maskNotApplicable(options.suiteFile, maskCheck.problems);

  const fingerprints = await fingerprintDatasets(
    [...new Set(points.map((p) => p.dataset))],
    options.fingerprint ?? corpusFingerprinter(options.registry),
    ctx,
    options,
    datasets,
  );

  const defaultInput = defaultRefs(options.registry, 'input')[0]?.id;
  const expansions = new Map<ResolvedPlugin, InputExpansion>();
  for (const input of new Set(points.map((p) => p.input)))
    if (input.id !== defaultInput) expansions.set(input, await measureInputExpansion(input, options.registry, ctx));

  const digests = new FileDigestCache(env, ctx.log);
  const checkpoints = new Map(
    [...maskCheck.backbones].map(([plugin, backbone]) => [
      plugin,
      backbone && !pretrainParamOf(plugin)
        ? checkpointFingerprint(resolve(ctx.baseDir, backbone.modelDir), digests)
        : undefined,
    ]),
  );
  const suiteInfo = {
    name: suite.name,
    file: resolve(options.suiteFile),
    baseDir: ctx.baseDir,
    plugins: [...((suite.plugins as string[] | undefined) ?? [])],
  };
  const usedBackbones = new Set(points.map((p) => p.backbone));
  const pretrainCells = expandPretrainCells(
    axes.backbone.filter((b) => usedBackbones.has(b.plugin)),
    {
      suite: suiteInfo,
      suiteFile: options.suiteFile,
      runner: options.pretrainRunner ?? options.runner,
      digests,
      missingData: options.missingData ?? 'error',
    },
  );
  digests.save();

  const cells = new Map<string, Cell>();
  for (const point of points) {
    const transformed = point.input.id !== defaultInput;
    const name = `${point.backbone.label} × ${point.mask.label} × ${transformed ? `${point.input.label} × ` : ''}${point.dataset.label} × ${point.head.label} × seed ${point.seed}`;
    const pretrained = pretrainCells.get(point.backbone);
    const config = {
      suite: suiteInfo,
      backbone: {
        ...point.backbone,
        ...(checkpoints.get(point.backbone) && { checkpoint: checkpoints.get(point.backbone) }),
        ...(pretrained && { pretrained: { cell: pretrained.hash } }),
      },
      mask: point.mask,
      dataset: { ...point.dataset, fingerprint: fingerprints.get(point.dataset) as DatasetFingerprint },
      head: point.head,
      ...(transformed && { input: { ...point.input, expansion: expansions.get(point.input) as InputExpansion } }),
      seed: point.seed,
      recipe: resolveRecipe(suite.recipe as Partial<Recipe>, suite.overrides as Override[] | undefined, point, name),
      runner: options.runner,
    };
    const hash = cellHash(config);
    if (cells.has(hash)) continue;
    const labels = {
      backbone: point.backbone.label,
      mask: point.mask.label,
      dataset: point.dataset.label,
      head: point.head.label,
      ...(suite.axes.input && { input: point.input.label }),
      seed: point.seed,
    };
    cells.set(hash, { hash, index: cells.size, labels, config });
  }
  // numbered after the fine-tuning cells, whose positions (and the report's order) stay as without pre-training
  const pretrain = [...new Set(pretrainCells.values())].map((cell, i) => ({ ...cell, index: cells.size + i }));
  return { pretrain, cells: [...cells.values()] };
}

async function fingerprintDatasets(
  used: ResolvedPlugin[],
  fingerprint: DatasetFingerprinter,
  ctx: PluginContext,
  options: ExpandOptions,
  all: ResolvedPlugin[],
): Promise<Map<ResolvedPlugin, DatasetFingerprint>> {
  const byParams = new Map<string, DatasetFingerprint>();
  const result = new Map<ResolvedPlugin, DatasetFingerprint>();
  const problems: DataProblem[] = [];
  for (const dataset of used) {
    const key = canonicalJson({ id: dataset.id, params: dataset.params });
    let print = byParams.get(key);
    if (!print) {
      try {
        print = await fingerprint(dataset, ctx);
      } catch (cause) {
        const reason = cause instanceof Error ? cause.message : String(cause);
        const where = `/axes/dataset/${all.indexOf(dataset)}`;
        if (isImpossibleParamError(cause)) throw harnessErrors.datasetParamsImpossible(dataset.id, where, reason);
        // checked by shape: a plugin may load its own copy of core's LookrightError
        const hint =
          typeof (cause as { hint?: unknown })?.hint === 'string' ? (cause as { hint: string }).hint : undefined;
        const { line } = locateInFile(options.suiteFile, where);
        problems.push({ datasetId: dataset.id, where, line, reason, ...(hint && { hint }) });
        print = { files: [], trainSentences: null, unavailable: reason };
      }
      byParams.set(key, print);
    }
    result.set(dataset, print);
  }
  if (problems.length && (options.missingData ?? 'error') === 'error')
    throw harnessErrors.datasetsUnavailable(options.suiteFile, problems);
  return result;
}
