import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Recipe, type TaggedCorpus, validatorOf } from '@lookright/core';
import { trainErrors } from '../errors.js';
import type { PluginSpec } from '../loop/cell-config.js';

/** File name of the manifest beside adapter_config.json. */
export const MANIFEST_FILE = 'lookright.json';
/** File name of the CRF head's chain scores (PEFT has no place for them). */
export const CRF_FILE = 'head-crf.safetensors';
/**
 * Folder of an export that carries its base model (a backbone made from a config), and its files: the same three a
 * model made from a config is written as (config.json, seeded weights, word-level tokenizer).
 */
export const BASE_MODEL_DIR = 'base-model';
export const BASE_MODEL_FILES = {
  config: 'config.json',
  weights: 'model.safetensors',
  tokenizer: 'tokenizer.json',
} as const;

/** Where an export's base model is when the export carries it (see ExportManifest.includedBaseModel). */
export interface IncludedBaseModel {
  /** Folder relative to the export (BASE_MODEL_DIR) holding BASE_MODEL_FILES. */
  folder: string;
  /** `config`: made from the backbone's config with seeded random weights, not a pretrained checkpoint. */
  origin: 'config';
}

/**
 * lookright.json: what PEFT's adapter_config.json has no field for, and everything needed to predict again with
 * the exported adapter: the cell's plugins with their params, the mask of every layer, the label set and tag
 * scheme, the tokenizer alignment rule, the recipe (batch size, maxLength, limits, backend) and the seed.
 */
export interface ExportManifest {
  format: 'lookright-peft-export';
  version: 1;
  /** sha256 of the cell's plugins, seed and recipe (@lookright/train's cellConfigHash). */
  trainConfigHash: string;
  /**
   * What base_model_name_or_path holds: the backbone's checkpoint folder or hub repo, or for a backbone made from a
   * config the folder inside the export that holds it (`base-model`, relative to the export).
   */
  baseModel: string;
  /** Set when the export carries its base model (a backbone made from a config); absent for a checkpoint. */
  includedBaseModel?: IncludedBaseModel;
  /** Folder plugin params and `plugins` resolve against when predicting (the suite's folder). */
  baseDir: string;
  plugins: string[];
  backbone: PluginSpec;
  mask: PluginSpec & { label: string };
  /** One character per layer: 0 causal, 1 bidirectional, w window (maskSpecsToString). */
  masks: string;
  dataset: PluginSpec;
  head: PluginSpec & { type: 'linear' | 'crf'; crfFile: string | null };
  /** Label ids are positions in this list (the rows of the head's weight). */
  labels: string[];
  scheme: TaggedCorpus['scheme'];
  /** How words become model inputs and where each word's label is read. */
  tokenizer: { alignment: 'first-subword'; maxLength: number; truncatedWords: 'predicted O' };
  seed: number;
  recipe: Recipe;
}

const pluginSpec = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' }, params: { type: 'object' } },
};

const manifestSchema = {
  type: 'object',
  required: [
    'format',
    'version',
    'trainConfigHash',
    'baseModel',
    'baseDir',
    'plugins',
    'backbone',
    'mask',
    'masks',
    'dataset',
    'head',
    'labels',
    'scheme',
    'tokenizer',
    'seed',
    'recipe',
  ],
  properties: {
    format: { const: 'lookright-peft-export' },
    version: { const: 1 },
    trainConfigHash: { type: 'string' },
    baseModel: { type: 'string' },
    baseDir: { type: 'string' },
    includedBaseModel: {
      type: 'object',
      required: ['folder', 'origin'],
      properties: {
        // one plain folder name: the base model stays inside the export
        folder: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
        origin: { const: 'config' },
      },
    },
    plugins: { type: 'array', items: { type: 'string' } },
    backbone: pluginSpec,
    mask: { ...pluginSpec, required: ['id', 'label'] },
    masks: { type: 'string', pattern: '^[01w]+$' },
    dataset: pluginSpec,
    head: {
      ...pluginSpec,
      required: ['id', 'type', 'crfFile'],
      properties: {
        ...pluginSpec.properties,
        type: { enum: ['linear', 'crf'] },
        crfFile: { type: ['string', 'null'] },
      },
    },
    labels: { type: 'array', items: { type: 'string' }, minItems: 1 },
    scheme: { enum: ['iob2', 'iob1', 'bioes', 'none'] },
    tokenizer: {
      type: 'object',
      required: ['alignment', 'maxLength'],
      properties: { alignment: { const: 'first-subword' }, maxLength: { type: 'integer', minimum: 1 } },
    },
    seed: { type: 'integer' },
    recipe: { type: 'object', required: ['batchSize', 'backend'] },
  },
};

/** Writes lookright.json (indent 2, trailing newline). */
export function writeManifest(dir: string, manifest: ExportManifest): void {
  writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Reads and checks an export's lookright.json; errors name the file and the key. */
export function readManifest(dir: string): ExportManifest {
  const file = join(dir, MANIFEST_FILE);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw trainErrors.exportInvalid(file, '/', reason);
  }
  const validate = validatorOf(manifestSchema);
  if (!validate(data)) {
    const [first] = validate.errors ?? [];
    throw trainErrors.exportInvalid(file, first?.instancePath || '/', first?.message ?? 'invalid');
  }
  return data as unknown as ExportManifest;
}
