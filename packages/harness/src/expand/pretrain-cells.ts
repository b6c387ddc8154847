import { basename, join, resolve } from 'node:path';
import { contentHash, locateInFile } from '@lookright/core';
import type { PretrainParam } from '@lookright/engine';
import { corpusTextFiles, defaultPretrainConfig } from '@lookright/train';
import { harnessErrors } from '../errors.js';
import type { Cell, CellConfig, CellLabels, ResolvedPlugin, RunnerIdentity } from './cell-types.js';
import type { FileDigestCache } from './file-digest-cache.js';

/** A pre-training recipe with every default filled (those of `lookright pretrain`). */
export interface PretrainRecipe {
  objective: 'clm' | 'mlm';
  size: 'tiny' | 'micro';
  steps: number;
  batchSize: number;
  seqLen: number;
  learningRate: number;
  warmupRatio: number;
  seed: number;
  maxChars: number;
}

/** The fully resolved configuration of one pre-training cell. */
export interface PretrainCellConfig {
  kind: 'pretrain';
  suite: CellConfig['suite'];
  /** The backbone entry that names the recipe (its params as written hold it). */
  backbone: ResolvedPlugin;
  recipe: PretrainRecipe;
  /**
   * The corpus folder (`dir`: interpolated and absolute) and the sha256 of every file pre-training reads from it,
   * sorted by name; `unavailable` says why it could not be read (dry runs only).
   */
  corpus: { dir: string; files: { name: string; sha256: string }[]; unavailable?: string };
  runner: RunnerIdentity;
}

/** One pre-training cell: runs before, and once for, every fine-tuning cell whose backbone names its recipe. */
export interface PretrainCell {
  kind: 'pretrain';
  hash: string;
  index: number;
  labels: CellLabels;
  config: PretrainCellConfig;
}

/** `lookright pretrain`'s defaults for every recipe key (logging is no part of a recipe). */
const { logEvery: _logging, ...recipeDefaults } = defaultPretrainConfig;

/** The `pretrain` param of a backbone entry, if it has one. */
export function pretrainParamOf(backbone: ResolvedPlugin): PretrainParam | undefined {
  const value = backbone.params.pretrain;
  return typeof value === 'object' && value !== null ? (value as PretrainParam) : undefined;
}

/**
 * What a pre-training cell's hash covers: the backbone plugin's id and package version, the recipe with defaults
 * filled, the sha256 of every corpus file read (not its path: the same text elsewhere is the same cell) and the
 * runner's id, version and numerics. A fine-tuning cell's hash covers this hash (cellIdentity).
 */
export function pretrainCellIdentity(config: PretrainCellConfig): unknown {
  return {
    format: 'lookright.pretrain/1',
    backbone: { id: config.backbone.id, plugin: config.backbone.plugin },
    recipe: config.recipe,
    corpus: config.corpus.files,
    runner: config.runner,
  };
}

/** The sha256 of each file pre-training reads from `dir` (corpusTextFiles); throws on an unreadable folder. */
function corpusFingerprint(dir: string, digests: FileDigestCache): { name: string; sha256: string }[] {
  const names = corpusTextFiles(dir);
  if (names.length === 0) throw new Error('it holds no .txt file');
  return names.map((name) => ({ name, sha256: digests.sha256(join(dir, name)) }));
}

export interface PretrainExpansion {
  suite: CellConfig['suite'];
  suiteFile: string;
  runner: RunnerIdentity;
  digests: FileDigestCache;
  /** `error` fails on an unreadable corpus (a typed error naming the key); `mark` records why (dry runs). */
  missingData: 'error' | 'mark';
}

/**
 * Makes one pre-training cell for each backbone entry with a `pretrain` param (`where`: its JSON pointer, for
 * errors). Two entries with the same recipe, corpus and plugin are one cell.
 */
export function expandPretrainCells(
  backbones: readonly { plugin: ResolvedPlugin; where: string }[],
  o: PretrainExpansion,
): Map<ResolvedPlugin, PretrainCell> {
  const byHash = new Map<string, PretrainCell>();
  const result = new Map<ResolvedPlugin, PretrainCell>();
  for (const { plugin, where } of backbones) {
    const param = pretrainParamOf(plugin);
    if (!param) continue;
    const { corpus, ...given } = param;
    const dir = resolve(o.suite.baseDir, corpus);
    let files: { name: string; sha256: string }[] = [];
    let unavailable: string | undefined;
    try {
      files = corpusFingerprint(dir, o.digests);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause);
      if (o.missingData === 'error') {
        const { line } = locateInFile(o.suiteFile, where);
        throw harnessErrors.pretrainCorpusUnavailable(`${o.suiteFile}:${line}`, where, dir, reason);
      }
      unavailable = reason;
    }
    const recipe: PretrainRecipe = { ...recipeDefaults, ...given };
    const config: PretrainCellConfig = {
      kind: 'pretrain',
      suite: o.suite,
      backbone: plugin,
      recipe,
      corpus: { dir, files, ...(unavailable && { unavailable }) },
      runner: o.runner,
    };
    const hash = contentHash(pretrainCellIdentity(config));
    const cell = byHash.get(hash) ?? {
      kind: 'pretrain' as const,
      hash,
      index: byHash.size,
      labels: {
        backbone: plugin.label,
        mask: `pretrain:${recipe.objective}`,
        dataset: basename(dir),
        head: '-',
        seed: recipe.seed,
      },
      config,
    };
    byHash.set(hash, cell);
    result.set(plugin, cell);
  }
  return result;
}

/** Any cell the scheduler runs and the store records: a fine-tuning cell or a pre-training cell. */
export type SuiteCell = Cell | PretrainCell;

/** Whether a cell is a pre-training cell (by its config, so it works on configs read back from the store too). */
export function isPretrainConfig(config: unknown): config is PretrainCellConfig {
  return typeof config === 'object' && config !== null && (config as { kind?: unknown }).kind === 'pretrain';
}
