import { modelErrors } from '../errors.js';
import type { RopeScaling } from '../ops/rope-tables.js';

/** The decoder families backbone:llama covers; they share one architecture. */
export type DecoderFamily = 'llama' | 'mistral' | 'qwen2';

/** What the decoder needs from config.json, checked and normalised. */
export interface DecoderConfig {
  family: DecoderFamily;
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  rmsNormEps: number;
  ropeTheta: number;
  ropeScaling?: RopeScaling;
  tieWordEmbeddings: boolean;
  /** q/k/v projections have biases (Qwen2 always; Llama with attention_bias). */
  qkvBias: boolean;
  /** o_proj has a bias (Llama with attention_bias). */
  outputBias: boolean;
  /** gate/up/down have biases (Llama with mlp_bias). */
  mlpBias: boolean;
  /** Mistral's sliding_window W: query i sees keys with |i - j| < W. */
  slidingWindow?: number;
}

type Json = Record<string, unknown>;

function int(cfg: Json, file: string, key: string, fallback?: number): number {
  const v = cfg[key] ?? fallback;
  if (v === undefined || v === null) throw modelErrors.configMissing(file, key);
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw modelErrors.configUnsupported(file, key, JSON.stringify(v), 'a positive integer');
  }
  return v;
}

function num(cfg: Json, file: string, key: string, fallback: number): number {
  const v = cfg[key] ?? fallback;
  if (typeof v !== 'number' || !(v > 0))
    throw modelErrors.configUnsupported(file, key, JSON.stringify(v), 'a positive number');
  return v;
}

function parseRopeScaling(file: string, raw: unknown): RopeScaling | undefined {
  if (raw === null || raw === undefined) return undefined;
  const r = raw as Json;
  const type = r.rope_type ?? r.type;
  const supported = 'null, {"type": "linear", "factor"}, {"rope_type": "llama3", ...}, {"rope_type": "default"}';
  if (type === 'default') return undefined;
  if (type === 'linear') return { type, factor: num(r, file, 'factor', Number.NaN) };
  if (type === 'llama3') {
    return {
      type,
      factor: num(r, file, 'factor', Number.NaN),
      lowFreqFactor: num(r, file, 'low_freq_factor', Number.NaN),
      highFreqFactor: num(r, file, 'high_freq_factor', Number.NaN),
      originalMaxPositionEmbeddings: num(r, file, 'original_max_position_embeddings', Number.NaN),
    };
  }
  throw modelErrors.configUnsupported(file, 'rope_scaling', JSON.stringify(raw), supported);
}

/** Reads config.json (already parsed) of a Llama, Mistral or Qwen2 checkpoint; `file` names it in errors. */
export function parseDecoderConfig(raw: unknown, file: string): DecoderConfig {
  if (typeof raw !== 'object' || raw === null) throw modelErrors.configMissing(file, 'model_type');
  const cfg = raw as Json;
  const family = cfg.model_type;
  if (family !== 'llama' && family !== 'mistral' && family !== 'qwen2') {
    throw modelErrors.configUnsupported(file, 'model_type', JSON.stringify(family), '"llama", "mistral", "qwen2"');
  }
  const act = cfg.hidden_act ?? 'silu';
  if (act !== 'silu') throw modelErrors.configUnsupported(file, 'hidden_act', JSON.stringify(act), '"silu"');
  const hiddenSize = int(cfg, file, 'hidden_size');
  const numHeads = int(cfg, file, 'num_attention_heads');
  const numKvHeads = int(cfg, file, 'num_key_value_heads', numHeads);
  if (numHeads % numKvHeads !== 0) {
    throw modelErrors.configUnsupported(file, 'num_key_value_heads', String(numKvHeads), `a divisor of ${numHeads}`);
  }
  const headDim = int(cfg, file, 'head_dim', hiddenSize / numHeads);
  if (headDim % 2 !== 0) throw modelErrors.configUnsupported(file, 'head_dim', String(headDim), 'an even number');
  let slidingWindow: number | undefined;
  if (family === 'mistral' && cfg.sliding_window !== null && cfg.sliding_window !== undefined) {
    slidingWindow = int(cfg, file, 'sliding_window');
  }
  if (family === 'qwen2' && cfg.use_sliding_window === true) {
    throw modelErrors.configUnsupported(
      file,
      'use_sliding_window',
      'true',
      'false (Qwen2 sliding windows per layer are not implemented)',
    );
  }
  const attentionBias = cfg.attention_bias === true;
  return {
    family,
    vocabSize: int(cfg, file, 'vocab_size'),
    hiddenSize,
    intermediateSize: int(cfg, file, 'intermediate_size'),
    numLayers: int(cfg, file, 'num_hidden_layers'),
    numHeads,
    numKvHeads,
    headDim,
    rmsNormEps: num(cfg, file, 'rms_norm_eps', 1e-6),
    ropeTheta: num(cfg, file, 'rope_theta', 10000),
    ropeScaling: parseRopeScaling(file, cfg.rope_scaling),
    // LlamaConfig, MistralConfig and Qwen2Config all default to untied; save_pretrained writes true when tied
    tieWordEmbeddings: cfg.tie_word_embeddings === true,
    qkvBias: family === 'qwen2' || attentionBias,
    outputBias: family !== 'qwen2' && attentionBias,
    mlpBias: cfg.mlp_bias === true,
    slidingWindow,
  };
}
