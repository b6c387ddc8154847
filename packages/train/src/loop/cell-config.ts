import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { contentHash, locateYamlPointer, type Recipe, recipeForHash, recipeSchema, validatorOf } from '@lookright/core';
import { LineCounter, parseDocument } from 'yaml';
import { trainErrors } from '../errors.js';

/** A plugin by id with its params (validated against the plugin's own schema when the run starts). */
export interface PluginSpec {
  id: string;
  params?: Record<string, unknown>;
}

/** Everything one fine-tuning run needs: what `runCell` takes and what a cell.yaml holds. */
export interface TrainCellConfig {
  /** Label in logs. */
  name?: string;
  /** Plugin packages beyond the workspace's own, as paths relative to `baseDir` or package names. */
  plugins?: string[];
  backbone: PluginSpec;
  mask: PluginSpec;
  dataset: PluginSpec;
  head: PluginSpec;
  /**
   * What the model sees of each sentence (e.g. `input:repeat`); absent = the sentence as tokenized, as before input
   * transforms existed (and the config hash leaves it out, so older checkpoints resume).
   */
  input?: PluginSpec;
  /** Seeds initialisation, dropout and shuffling. */
  seed: number;
  /** Fine-tuning recipe; every missing key takes the paper's default (core's recipeSchema). */
  recipe: Recipe;
  /** Run folder: checkpoint, predictions, metrics.json, steps.jsonl. */
  output: string;
  /** Also checkpoint every N optimiser steps (always at each epoch's end); null = epoch ends only. */
  checkpointEvery?: number | null;
  /**
   * The engine's mask audit runs once before training: `enforce` (default) refuses to train on a mismatch,
   * `report` logs the table and trains anyway (for a known false positive of the audit; the log keeps it).
   */
  maskAudit?: 'enforce' | 'report';
}

const pluginSpecSchema = {
  oneOf: [
    { type: 'string', pattern: '^[a-z]+:[a-z0-9-]+$' },
    {
      type: 'object',
      additionalProperties: false,
      required: ['id'],
      properties: { id: { type: 'string' }, params: { type: 'object' } },
    },
  ],
};

/** JSON schema of cell.yaml (draft 2020-12). */
export const cellFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['backbone', 'mask', 'dataset', 'head', 'output'],
  properties: {
    name: { type: 'string' },
    plugins: { type: 'array', items: { type: 'string' } },
    backbone: pluginSpecSchema,
    mask: pluginSpecSchema,
    dataset: pluginSpecSchema,
    head: pluginSpecSchema,
    input: pluginSpecSchema,
    seed: { type: 'integer', minimum: 0, default: 1 },
    recipe: { ...recipeSchema, default: {} },
    output: { type: 'string' },
    checkpointEvery: { type: ['integer', 'null'], minimum: 1, default: null },
    maskAudit: { enum: ['enforce', 'report'], default: 'enforce' },
  },
};

const validateCell = validatorOf(cellFileSchema);

const pluginKeys = ['backbone', 'mask', 'dataset', 'head', 'input'] as const;

/** The first schema problem as a JSON pointer and a message; an unknown key is named (and pointed at). */
function firstProblem(): { path: string; message: string } {
  const [first] = validateCell.errors ?? [];
  if (!first) return { path: '', message: 'invalid' };
  const extra = (first.params as { additionalProperty?: string }).additionalProperty;
  if (first.keyword === 'additionalProperties' && extra)
    return { path: `${first.instancePath}/${extra}`, message: `unknown key ${JSON.stringify(extra)}` };
  return { path: first.instancePath, message: first.message ?? 'invalid' };
}

/**
 * Fills defaults into a cell config given as plain data (from YAML or code) and checks it; `where` names the source
 * in errors. Plugin shorthands (`mask: mask:causal`) become `{id}`; `output` and `plugins` resolve against `baseDir`.
 */
export function normalizeCellConfig(raw: unknown, where: string, baseDir = process.cwd()): TrainCellConfig {
  const data = structuredClone(raw) as Record<string, unknown>;
  if (!validateCell(data)) {
    const { path, message } = firstProblem();
    throw trainErrors.cellInvalid(where, path || '/', message);
  }
  for (const key of pluginKeys) if (typeof data[key] === 'string') data[key] = { id: data[key] };
  const config = data as unknown as TrainCellConfig;
  config.output = resolve(baseDir, config.output);
  return config;
}

/** Reads and checks a cell.yaml; errors name the file, line and key. */
export function readCellFile(file: string): TrainCellConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw trainErrors.cellUnreadable(file, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length) throw trainErrors.cellInvalid(file, '/', doc.errors[0].message);
  const raw = doc.toJS() as unknown;
  if (!validateCell(structuredClone(raw))) {
    const { path, message } = firstProblem();
    const { line, column } = locateYamlPointer(doc, lineCounter, path);
    throw trainErrors.cellInvalid(`${file}:${line}:${column}`, path || '/', message);
  }
  return normalizeCellConfig(raw, file, dirname(resolve(file)));
}

/**
 * sha256 of what decides a run's numbers (plugins, seed, recipe): a checkpoint of another hash is refused. `input`
 * counts only when given, so a config without one hashes as it did before input transforms existed.
 */
export function cellConfigHash(config: TrainCellConfig): string {
  const { backbone, mask, dataset, head, input, seed, recipe } = config;
  return contentHash({ backbone, mask, dataset, head, ...(input && { input }), seed, recipe: recipeForHash(recipe) });
}
