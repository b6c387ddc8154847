import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TaggedCorpus } from '@lookright/core';
import { type LoraModel, savePeftAdapter, writeSafetensors } from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';
import type { TokenHead } from '../heads/token-head.js';
import type { TrainCellConfig } from '../loop/cell-config.js';
import { cellConfigHash } from '../loop/cell-config.js';
import {
  BASE_MODEL_DIR,
  BASE_MODEL_FILES,
  CRF_FILE,
  type ExportManifest,
  type IncludedBaseModel,
  writeManifest,
} from './export-manifest.js';
import { exportHeadTensors } from './head-weights.js';

/** What a finished LoRA cell hands to the adapter writer. */
export interface CellAdapterInput {
  model: LoraModel;
  head: TokenHead;
  config: TrainCellConfig;
  /**
   * The backbone's checkpoint folder or hub repo (base_model_name_or_path); for a backbone made from a config, the
   * folder its model was written to (see baseModelFromConfig).
   */
  baseModel: string;
  /**
   * The backbone was made from a config: no checkpoint exists elsewhere, so baseModel's files are copied into the
   * export's base-model/ and base_model_name_or_path names that folder (relative to the export).
   */
  baseModelFromConfig?: boolean;
  /** Folder the cell's plugin params resolve against. */
  baseDir: string;
  maskLabel: string;
  /** maskSpecsToString of the layer specs the cell trained with. */
  masks: string;
  labels: string[];
  scheme: TaggedCorpus['scheme'];
}

/** Copies a model made from a config (config.json, model.safetensors, tokenizer.json) into `<dir>/base-model`. */
function includeBaseModel(modelDir: string, dir: string): IncludedBaseModel {
  const target = join(dir, BASE_MODEL_DIR);
  mkdirSync(target, { recursive: true });
  for (const file of Object.values(BASE_MODEL_FILES)) copyFileSync(join(modelDir, file), join(target, file));
  return { folder: BASE_MODEL_DIR, origin: 'config' };
}

/**
 * Writes a LoRA cell's trained weights as a PEFT v0.7.1 token-classification adapter: adapter_config.json and
 * adapter_model.safetensors (the LoRA pairs and the head's emission layer under modules_to_save naming, e.g.
 * `base_model.model.score.weight`), head-crf.safetensors for a CRF head's chain scores, and lookright.json with
 * what PEFT has no field for. Values are exact float32 copies, so reloading them predicts the same labels. A
 * backbone made from a config has its model copied into base-model/, so the export stands alone.
 */
export async function writeCellAdapter(dir: string, input: CellAdapterInput): Promise<void> {
  const { config } = input;
  const included = input.baseModelFromConfig ? includeBaseModel(input.baseModel, dir) : undefined;
  const baseModel = included?.folder ?? input.baseModel;
  const head = await exportHeadTensors(input.head);
  try {
    await savePeftAdapter(input.model, dir, {
      wrappedClass: 'token-classification',
      baseModelNameOrPath: baseModel,
      head: { weight: head.weight, bias: head.bias },
    });
  } finally {
    tf.dispose([head.weight, head.bias]);
  }
  if (head.crf) writeSafetensors(join(dir, CRF_FILE), head.crf);
  const manifest: ExportManifest = {
    format: 'lookright-peft-export',
    version: 1,
    trainConfigHash: cellConfigHash(config),
    baseModel,
    ...(included ? { includedBaseModel: included } : {}),
    baseDir: input.baseDir,
    plugins: config.plugins ?? [],
    backbone: config.backbone,
    mask: { ...config.mask, label: input.maskLabel },
    masks: input.masks,
    dataset: config.dataset,
    head: { ...config.head, type: input.head.type as 'linear' | 'crf', crfFile: head.crf ? CRF_FILE : null },
    labels: input.labels,
    scheme: input.scheme,
    tokenizer: { alignment: 'first-subword', maxLength: config.recipe.maxLength, truncatedWords: 'predicted O' },
    seed: config.seed,
    recipe: config.recipe,
  };
  writeManifest(dir, manifest);
}
