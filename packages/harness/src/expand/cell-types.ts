import type { Recipe } from '@lookright/core';
import type { InputExpansion } from './input-expansion.js';

/** A plugin reference after expansion: defaults filled, environment interpolated, package known. */
export interface ResolvedPlugin {
  id: string;
  /** Label for tables, filters and logs: the ref's `name`, else derived from id and params. */
  label: string;
  /** What the plugin's `create` receives: schema defaults filled and `${LOOKRIGHT_*}` interpolated. */
  params: Record<string, unknown>;
  /** The same params with placeholders kept, as the suite wrote them; the cell hash uses these (portable). */
  paramsAsWritten: Record<string, unknown>;
  /** The plugin package that provides `id`; its version is part of the cell hash. */
  plugin: { package: string; version: string };
}

/** What identifies a dataset's content without loading it again. */
export interface DatasetFingerprint {
  /** Data files by base name with their sha256, sorted by name. */
  files: { name: string; sha256: string }[];
  /** Train sentences (before trainLimit), used by cost estimates; null when unknown. */
  trainSentences: number | null;
  /** Words in the train split, used by cost estimates; null when unknown. */
  trainWords?: number | null;
  /** Why the data could not be read, when expansion ran with `missingData: 'mark'` (dry runs). */
  unavailable?: string;
}

/** What a local checkpoint folder holds: each file by name with its sha256, sorted by name. */
export interface CheckpointFingerprint {
  files: { name: string; sha256: string }[];
}

/**
 * The checkpoint a pre-training cell makes for a fine-tuning cell. `cell` (its hash) is part of the fine-tuning
 * cell's hash; `dir` and `files` are filled in by the harness once that cell has FINISHED (never hashed): the
 * checkpoint folder in the store and each file's sha256 as the store recorded it, checked before fine-tuning.
 */
export interface PretrainedCheckpoint {
  cell: string;
  dir?: string;
  files?: { name: string; sha256: string }[];
}

/** Which version of which code executes cells; part of every hash, since it changes what a cell computes. */
export interface RunnerIdentity {
  id: string;
  version: string;
  /** The runner's numerics on this machine (see CellRunner.numerics), e.g. {'backend.auto': 'wasm', native: 'on'}. */
  numerics?: Record<string, string>;
}

/** The fully resolved configuration of one cell: everything a worker needs, nothing it must look up. */
export interface CellConfig {
  /** The suite this cell was expanded from; `plugins` as the suite lists them, resolved against `baseDir`. */
  suite: { name: string; file: string; baseDir: string; plugins: string[] };
  /**
   * `checkpoint`: the files of a local checkpoint folder (absent for hub checkpoints; see checkpointFingerprint).
   * `pretrained`: for a backbone with a `pretrain` recipe, the pre-training cell that makes its checkpoint.
   */
  backbone: ResolvedPlugin & { checkpoint?: CheckpointFingerprint; pretrained?: PretrainedCheckpoint };
  mask: ResolvedPlugin;
  dataset: ResolvedPlugin & { fingerprint: DatasetFingerprint };
  head: ResolvedPlugin;
  /**
   * The input transform (e.g. `input:repeat`); absent for `input:identity`, the sentence as tokenized, so a cell
   * without a transform keeps the hash it had before input transforms existed.
   */
  input?: ResolvedPlugin & { expansion: InputExpansion };
  seed: number;
  /** The recipe with every default filled and every matching override applied. */
  recipe: Recipe;
  runner: RunnerIdentity;
}

/** Short labels naming a cell in tables and filters. */
export interface CellLabels {
  backbone: string;
  mask: string;
  dataset: string;
  head: string;
  /** The input transform's label; present when the suite has an `input` axis. */
  input?: string;
  seed: number;
}

/** One point of a suite's cross-product. */
export interface Cell {
  /** sha256 over the canonical JSON of the cell's identity (see cellIdentity). */
  hash: string;
  /** Position in the suite's expansion order. */
  index: number;
  labels: CellLabels;
  config: CellConfig;
}
