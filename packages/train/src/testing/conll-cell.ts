import type { Recipe } from '@lookright/core';
import { normalizeCellConfig, type TrainCellConfig } from '../loop/cell-config.js';

/** Knobs of the small CoNLL-2003 cells the integration tests run. */
export interface ConllCellOptions {
  modelDir: string;
  dataDir: string;
  output: string;
  mask: string;
  /** Head plugin id (default head:linear). */
  head?: string;
  seed?: number;
  recipe?: Partial<Recipe>;
  checkpointEvery?: number | null;
}

/**
 * stories260K (or another small Llama) + LoRA on a CoNLL-2003 NER subset with a linear head. The recipe departs
 * from the paper's where a 64-wide model trained for minutes needs it: learning rate 3e-3, LoRA r=16 on every
 * projection, batch 16 without accumulation, 64 tokens.
 */
export function conllCell(options: ConllCellOptions): TrainCellConfig {
  return normalizeCellConfig(
    {
      name: `stories260K-conll2003-${options.mask}`,
      backbone: { id: 'backbone:llama', params: { model: options.modelDir } },
      mask: { id: options.mask },
      dataset: { id: 'dataset:conll2003', params: { path: options.dataDir } },
      head: { id: options.head ?? 'head:linear' },
      seed: options.seed ?? 1,
      output: options.output,
      checkpointEvery: options.checkpointEvery ?? null,
      maskAudit: 'enforce',
      recipe: {
        epochs: 1,
        learningRate: 3e-3,
        warmupRatio: 0.05,
        batchSize: 16,
        gradientAccumulation: 1,
        maxLength: 64,
        lora: { r: 16, alpha: 32, dropout: 0.1, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] },
        trainLimit: 2000,
        devLimit: 400,
        testLimit: 400,
        backend: 'wasm',
        logEvery: 25,
        ...options.recipe,
      },
    },
    'integration test',
  );
}
