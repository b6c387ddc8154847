import type * as tf from '@tensorflow/tfjs-core';
import type { LinearParams } from '../layers/linear-params.js';

/** The linear modules of one encoder layer, by the last part of their HF module path. */
export const encoderProjectionNames = ['query', 'key', 'value', 'attention_output', 'intermediate', 'output'] as const;
export type EncoderProjectionName = (typeof encoderProjectionNames)[number];

const PATHS: Record<EncoderProjectionName, string> = {
  query: 'attention.self.query',
  key: 'attention.self.key',
  value: 'attention.self.value',
  attention_output: 'attention.output.dense',
  intermediate: 'intermediate.dense',
  output: 'output.dense',
};

/** HF module path of a linear module inside `encoder.layer.<i>`, e.g. `attention.self.query`. */
export function encoderProjectionPath(name: EncoderProjectionName): string {
  return PATHS[name];
}

/** A LayerNorm's affine parameters. */
export interface LayerNormParams {
  weight: tf.Tensor1D;
  bias: tf.Tensor1D;
}

/** Weights of one post-LayerNorm encoder layer. */
export interface EncoderLayerParams {
  proj: Record<EncoderProjectionName, LinearParams>;
  /** attention.output.LayerNorm */
  attentionNorm: LayerNormParams;
  /** output.LayerNorm */
  outputNorm: LayerNormParams;
}

/** Every weight of a BERT / RoBERTa encoder; `pooler` is absent when the checkpoint has none. */
export interface EncoderParams {
  wordEmbeddings: tf.Tensor2D;
  positionEmbeddings: tf.Tensor2D;
  tokenTypeEmbeddings: tf.Tensor2D;
  embeddingNorm: LayerNormParams;
  layers: EncoderLayerParams[];
  pooler?: LinearParams;
}
