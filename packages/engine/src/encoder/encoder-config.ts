import { encoderErrors } from '../errors.js';

/** The encoder families backbone:bert covers. RoBERTa-style models offset position ids past the pad token. */
export type EncoderFamily = 'bert' | 'roberta' | 'xlm-roberta';

/** What the encoder needs from config.json, checked and normalised. */
export interface EncoderConfig {
  family: EncoderFamily;
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  headDim: number;
  layerNormEps: number;
  maxPositionEmbeddings: number;
  typeVocabSize: number;
  padTokenId: number;
  /**
   * `arange`: position i is i (BERT). `after-padding`: RoBERTa's
   * `cumsum(ids != pad) * (ids != pad) + pad`, so real tokens start at pad + 1 and pads get pad.
   */
  positionIds: 'arange' | 'after-padding';
  /** hidden_dropout_prob (embeddings and each sub-layer output), training only. */
  hiddenDropoutProb: number;
  /** attention_probs_dropout_prob, training only. */
  attentionProbsDropoutProb: number;
}

type Json = Record<string, unknown>;

function int(cfg: Json, file: string, key: string, fallback?: number, min = 1): number {
  const v = cfg[key] ?? fallback;
  if (v === undefined || v === null) throw encoderErrors.configMissing(file, key);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw encoderErrors.configUnsupported(
      file,
      key,
      JSON.stringify(v),
      min === 0 ? 'an integer >= 0' : 'a positive integer',
    );
  }
  return v;
}

function rate(cfg: Json, file: string, key: string): number {
  const v = cfg[key] ?? 0.1;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) {
    throw encoderErrors.configUnsupported(file, key, JSON.stringify(v), 'a dropout rate in [0, 1)');
  }
  return v;
}

/** Reads config.json (already parsed) of a BERT or RoBERTa checkpoint; `file` names it in errors. */
export function parseEncoderConfig(raw: unknown, file: string): EncoderConfig {
  if (typeof raw !== 'object' || raw === null) throw encoderErrors.configMissing(file, 'model_type');
  const cfg = raw as Json;
  const family = cfg.model_type;
  if (family !== 'bert' && family !== 'roberta' && family !== 'xlm-roberta') {
    throw encoderErrors.configUnsupported(
      file,
      'model_type',
      JSON.stringify(family),
      '"bert", "roberta", "xlm-roberta"',
    );
  }
  const act = cfg.hidden_act ?? 'gelu';
  if (act !== 'gelu') {
    throw encoderErrors.configUnsupported(file, 'hidden_act', JSON.stringify(act), '"gelu" (erf-exact GELU)');
  }
  const positionType = cfg.position_embedding_type ?? 'absolute';
  if (positionType !== 'absolute') {
    throw encoderErrors.configUnsupported(file, 'position_embedding_type', JSON.stringify(positionType), '"absolute"');
  }
  if (cfg.is_decoder === true || cfg.add_cross_attention === true) {
    throw encoderErrors.configUnsupported(
      file,
      'is_decoder',
      'true',
      'false (backbone:bert runs bidirectional encoders)',
    );
  }
  const hiddenSize = int(cfg, file, 'hidden_size');
  const numHeads = int(cfg, file, 'num_attention_heads');
  if (hiddenSize % numHeads !== 0) {
    throw encoderErrors.configUnsupported(file, 'num_attention_heads', String(numHeads), `a divisor of ${hiddenSize}`);
  }
  const eps = cfg.layer_norm_eps ?? 1e-12;
  if (typeof eps !== 'number' || !(eps > 0)) {
    throw encoderErrors.configUnsupported(file, 'layer_norm_eps', JSON.stringify(eps), 'a positive number');
  }
  return {
    family,
    vocabSize: int(cfg, file, 'vocab_size'),
    hiddenSize,
    intermediateSize: int(cfg, file, 'intermediate_size'),
    numLayers: int(cfg, file, 'num_hidden_layers'),
    numHeads,
    headDim: hiddenSize / numHeads,
    layerNormEps: eps,
    maxPositionEmbeddings: int(cfg, file, 'max_position_embeddings', 512),
    typeVocabSize: int(cfg, file, 'type_vocab_size', 2),
    // BertConfig defaults pad_token_id to 0, RobertaConfig to 1
    padTokenId: int(cfg, file, 'pad_token_id', family === 'bert' ? 0 : 1, 0),
    positionIds: family === 'bert' ? 'arange' : 'after-padding',
    // BertConfig / RobertaConfig default both to 0.1
    hiddenDropoutProb: rate(cfg, file, 'hidden_dropout_prob'),
    attentionProbsDropoutProb: rate(cfg, file, 'attention_probs_dropout_prob'),
  };
}
