/** Parameter counts read from a transformers config.json, for a memory check before any weight is loaded. */
import { engineErrors } from '../errors.js';

type Config = Record<string, unknown>;

function int(config: Config, key: string, fallback?: number, file = 'config.json'): number {
  const value = config[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (fallback !== undefined) return fallback;
  throw engineErrors.checkpointConfigInvalid(file, `has no numeric ${key}, needed to estimate the model size`);
}

/**
 * Estimates the parameter count of a decoder (llama, mistral, qwen2 and alike: q/k/v/o, gated MLP, RMSNorm) or an
 * encoder (bert, roberta: q/k/v/o with biases, MLP, LayerNorm, position and type embeddings) from config.json.
 * A needed size that is absent is refused with an error naming `file` and the key.
 */
export function estimateParameterCount(config: Config, file = 'config.json'): number {
  const read = (key: string, fallback?: number) => int(config, key, fallback, file);
  const encoder = ['bert', 'roberta', 'xlm-roberta', 'distilbert'].includes(String(config.model_type));
  return encoder ? encoderParameters(read) : decoderParameters(config, read);
}

type Read = (key: string, fallback?: number) => number;

function decoderParameters(config: Config, size: Read): number {
  const hidden = size('hidden_size');
  const layers = size('num_hidden_layers');
  const heads = size('num_attention_heads');
  const kvHeads = size('num_key_value_heads', heads);
  const headDim = size('head_dim', hidden / heads);
  const inter = size('intermediate_size');
  const vocab = size('vocab_size');
  const biases = config.attention_bias === true || config.model_type === 'qwen2';
  const attention =
    hidden * heads * headDim * 2 +
    hidden * kvHeads * headDim * 2 +
    (biases ? heads * headDim + 2 * kvHeads * headDim : 0);
  const mlp = 3 * hidden * inter;
  const perLayer = attention + mlp + 2 * hidden;
  const embeddings = vocab * hidden * (config.tie_word_embeddings === true ? 1 : 2);
  return embeddings + layers * perLayer + hidden;
}

function encoderParameters(size: Read): number {
  const hidden = size('hidden_size');
  const layers = size('num_hidden_layers');
  const inter = size('intermediate_size');
  const vocab = size('vocab_size');
  const positions = size('max_position_embeddings', 512);
  const types = size('type_vocab_size', 2);
  const embeddings = (vocab + positions + types) * hidden + 2 * hidden;
  const perLayer = 4 * (hidden * hidden + hidden) + 2 * hidden * inter + inter + hidden + 4 * hidden;
  return embeddings + layers * perLayer;
}
