import { join } from 'node:path';
import type { TaggedCorpus } from '@lookright/core';
import { type LoraModel, savePeftAdapter, writeSafetensors } from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';
import type { TokenHead } from '../heads/token-head.js';
import type { TrainCellConfig } from '../loop/cell-config.js';
import { cellConfigHash } from '../loop/cell-config.js';
import { CRF_FILE, type ExportManifest, writeManifest } from './export-manifest.js';
import { exportHeadTensors } from './head-weights.js';

/** What a finished LoRA cell hands to the adapter writer. */
export interface CellAdapterInput {
  model: LoraModel;
  head: TokenHead;
  config: TrainCellConfig;
  /** The backbone's checkpoint folder or hub repo (base_model_name_or_path). */
  baseModel: string;
  /** Folder the cell's plugin params resolve against. */
  baseDir: string;
  maskLabel: string;
  /** maskSpecsToString of the layer specs the cell trained with. */
  masks: string;
  labels: string[];
  scheme: TaggedCorpus['scheme'];
}

/**
 * Writes a LoRA cell's trained weights as a PEFT v0.7.1 token-classification adapter: adapter_config.json and
 * adapter_model.safetensors (the LoRA pairs and the head's emission layer under modules_to_save naming, e.g.
 * `base_model.model.score.weight`), head-crf.safetensors for a CRF head's chain scores, and lookright.json with
 * what PEFT has no field for. Values are exact float32 copies, so reloading them predicts the same labels.
 */
export async function writeCellAdapter(dir: string, input: CellAdapterInput): Promise<void> {
  const { config } = input;
  const head = await exportHeadTensors(input.head);
  try {
    await savePeftAdapter(input.model, dir, {
      wrappedClass: 'token-classification',
      baseModelNameOrPath: input.baseModel,
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
    baseModel: input.baseModel,
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
