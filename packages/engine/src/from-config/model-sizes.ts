import type { ModelSizes } from '@lookright/core';
import { modelErrors } from '../errors.js';

/**
 * Named sizes of models made from a config. `tiny` is the paper's small-scale study at CPU scale (about 1M
 * parameters with a 1,024-word vocabulary); `micro` is smaller still.
 */
export const modelSizePresets = {
  tiny: { hiddenSize: 128, layers: 4, heads: 4, intermediateSize: 344, maxPositions: 256 },
  micro: { hiddenSize: 64, layers: 2, heads: 2, intermediateSize: 172, maxPositions: 128 },
} as const satisfies Record<string, ModelSizes>;

export type ModelSizeName = keyof typeof modelSizePresets;

const positive = { type: 'integer', minimum: 1 } as const;

/** JSON schema of a backbone's `config` param: a named size, with any of its HF config.json keys overridden. */
export const modelConfigParamSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    size: { enum: ['tiny', 'micro'], description: 'Starting sizes (default tiny); the keys below override them.' },
    hidden_size: positive,
    num_hidden_layers: positive,
    num_attention_heads: positive,
    num_key_value_heads: { ...positive, description: 'Decoders only (grouped-query attention).' },
    intermediate_size: positive,
    max_position_embeddings: positive,
  },
  description: 'Make the model from this config with seeded random weights (this, model or pretrain).',
} as const;

/** A backbone's `config` param as written in a suite. */
export interface ModelConfigParam {
  size?: ModelSizeName;
  hidden_size?: number;
  num_hidden_layers?: number;
  num_attention_heads?: number;
  num_key_value_heads?: number;
  intermediate_size?: number;
  max_position_embeddings?: number;
}

function divisors(n: number): string {
  const out: number[] = [];
  for (let d = 1; d <= n && out.length < 12; d++) if (n % d === 0) out.push(d);
  return out.join(', ');
}

/** The sizes a `config` param describes: the named size (default tiny) with the given keys over it; unchecked. */
export function modelSizesOf(config: ModelConfigParam): ModelSizes {
  const preset = modelSizePresets[config.size ?? 'tiny'];
  return {
    hiddenSize: config.hidden_size ?? preset.hiddenSize,
    layers: config.num_hidden_layers ?? preset.layers,
    heads: config.num_attention_heads ?? preset.heads,
    kvHeads: config.num_key_value_heads ?? config.num_attention_heads ?? preset.heads,
    intermediateSize: config.intermediate_size ?? preset.intermediateSize,
    maxPositions: config.max_position_embeddings ?? preset.maxPositions,
  };
}

/**
 * The sizes a `config` param describes (modelSizesOf), checked: attention heads must divide the hidden size (into an even head
 * width for a decoder's RoPE), key/value heads must divide the heads, and an encoder takes no key/value heads.
 * Errors name the backbone, the key and the values that would fit.
 */
export function resolveModelSizes(
  config: ModelConfigParam,
  backbone: string,
  architecture: 'decoder' | 'encoder',
): ModelSizes {
  const sizes = modelSizesOf(config);
  const fail = (key: string, found: string, fits: string) => modelErrors.sizesInvalid(backbone, key, found, fits);
  if (sizes.hiddenSize % sizes.heads !== 0)
    throw fail(
      'num_attention_heads',
      `${sizes.heads} does not divide hidden_size ${sizes.hiddenSize}`,
      `a divisor of ${sizes.hiddenSize} (${divisors(sizes.hiddenSize)}), or a hidden_size that is a multiple of ${sizes.heads}`,
    );
  if (architecture === 'encoder' && config.num_key_value_heads !== undefined)
    throw fail('num_key_value_heads', 'is set for an encoder', 'no num_key_value_heads (BERT has none)');
  const kvHeads = sizes.kvHeads ?? sizes.heads;
  if (sizes.heads % kvHeads !== 0)
    throw fail(
      'num_key_value_heads',
      `${kvHeads} does not divide num_attention_heads ${sizes.heads}`,
      `a divisor of ${sizes.heads} (${divisors(sizes.heads)})`,
    );
  const headDim = sizes.hiddenSize / sizes.heads;
  if (architecture === 'decoder' && headDim % 2 !== 0)
    throw fail(
      'num_attention_heads',
      `${sizes.heads} gives an odd head width ${headDim} (hidden_size / heads), which RoPE cannot rotate`,
      `heads such that hidden_size / heads is even (${divisors(sizes.hiddenSize)
        .split(', ')
        .filter((d) => (sizes.hiddenSize / Number(d)) % 2 === 0)
        .join(', ')})`,
    );
  return sizes;
}
