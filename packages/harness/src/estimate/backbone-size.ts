import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ModelConfigParam, modelSizesOf } from '@lookright/engine';
import { architectureSizes, llamaTensorShapes, parameterCount } from '@lookright/train';
import type { ResolvedPlugin } from '../expand/cell-types.js';
import type { PretrainRecipe } from '../expand/pretrain-cells.js';

/**
 * Parameter counts of well-known checkpoints, for estimates when the weights are not on this machine (from the
 * models' cards / safetensors headers: total parameters including embeddings).
 */
export const knownParameterCounts: Record<string, number> = {
  'meta-llama/Llama-2-7b-hf': 6.74e9,
  'mistralai/Mistral-7B-v0.1': 7.24e9,
  'FacebookAI/roberta-large': 355e6,
  'roberta-large': 355e6,
  'FacebookAI/roberta-base': 125e6,
  'roberta-base': 125e6,
  'google-bert/bert-base-cased': 108e6,
};

/**
 * Parameters of the model a pre-training recipe makes: the decoder of its size with the full pre-training
 * vocabulary (the MLM encoder is sized to the same count, within 0.1%).
 */
export function pretrainParameters(recipe: Pick<PretrainRecipe, 'size'>): number {
  return parameterCount(llamaTensorShapes(architectureSizes[recipe.size]));
}

interface HfConfig {
  hidden_size?: number;
  num_hidden_layers?: number;
  intermediate_size?: number;
  vocab_size?: number;
  n_embd?: number;
  n_layer?: number;
}

/**
 * Rough parameter count from config.json: per layer 4h² attention + 3·h·ffn (gated) + embeddings; with an early
 * exit (`exit`, a backbone's `layers` param) only the layers that run count.
 */
function countFromConfig(config: HfConfig, exit?: number): number | undefined {
  const h = config.hidden_size ?? config.n_embd;
  const all = config.num_hidden_layers ?? config.n_layer;
  const layers = all && exit ? Math.min(all, exit) : all;
  if (!h || !layers) return undefined;
  const ffn = config.intermediate_size ?? 4 * h;
  return layers * (4 * h * h + 3 * h * ffn) + (config.vocab_size ?? 0) * h;
}

/**
 * A backbone's parameter count and where it came from: its `pretrain` recipe's size for a model pre-trained by its
 * own cell (with its vocabulary; early exit ignored), its `config` param for a model made from a config
 * (embeddings left out: the vocabulary comes from the data), else a local folder's config.json named by any string
 * param (relative to the suite's folder), else the known-checkpoint table by repo id (a trailing @revision
 * ignored), else undefined.
 */
export function backboneParameters(
  backbone: ResolvedPlugin,
  baseDir: string,
): { count: number; source: string } | undefined {
  const made = backbone.params.config;
  const recipe = backbone.params.pretrain as { size?: 'tiny' | 'micro' } | undefined;
  const exit = typeof backbone.params.layers === 'number' ? backbone.params.layers : undefined;
  const exitNote = exit ? `, first ${exit} layers` : '';
  if (typeof recipe === 'object' && recipe !== null)
    return {
      count: pretrainParameters({ size: recipe.size ?? 'tiny' }),
      source: `pre-trained ${recipe.size ?? 'tiny'} model`,
    };
  if (typeof made === 'object' && made !== null) {
    const sizes = modelSizesOf(made as ModelConfigParam);
    const count = countFromConfig(
      { hidden_size: sizes.hiddenSize, num_hidden_layers: sizes.layers, intermediate_size: sizes.intermediateSize },
      exit,
    );
    return count ? { count, source: `model config${exitNote}` } : undefined;
  }
  for (const value of Object.values(backbone.params)) {
    if (typeof value !== 'string') continue;
    const configFile = join(resolve(baseDir, value), 'config.json');
    if (existsSync(configFile)) {
      const count = countFromConfig(JSON.parse(readFileSync(configFile, 'utf8')) as HfConfig, exit);
      if (count) return { count, source: `${configFile}${exitNote}` };
    }
    const known = knownParameterCounts[value.split('@')[0]];
    if (known) return { count: known, source: `known size of ${value.split('@')[0]}` };
  }
  return undefined;
}
