import * as tf from '@tensorflow/tfjs-core';
import { type DropoutContext, project } from '../layers/projection.js';
import { trainingOps } from '../ops/index.js';
import { encoderAttention } from './encoder-attention.js';
import type { EncoderConfig } from './encoder-config.js';
import type { EncoderLayerParams } from './encoder-params.js';
import { gelu } from './gelu.js';
import { layerNorm } from './layer-norm.js';

/** BERT's dropout rates (config hidden_dropout_prob, attention_probs_dropout_prob), applied in training only. */
export interface EncoderDropoutRates {
  hidden: number;
  attentionProbs: number;
}

/** Hidden-state dropout (HF's hidden_dropout_prob) in training mode; identity otherwise. */
export function hiddenDropout(x: tf.Tensor, rate: number, dropout: DropoutContext): tf.Tensor {
  return dropout.training && rate > 0 ? trainingOps().dropout(x, rate, dropout.nextSeed()) : x;
}

/**
 * One post-LayerNorm encoder layer (BERT / RoBERTa): h1 = LN(h + dense(attn(h))), then LN(h1 + dense(gelu(dense(h1)))).
 * `bias` is the additive attention mask [B, 1, S, S] (bidirectional, padded keys blocked). Input and output [B, S, H].
 */
export function encoderLayer(
  h: tf.Tensor3D,
  p: EncoderLayerParams,
  cfg: EncoderConfig,
  bias: tf.Tensor4D,
  dropout: DropoutContext,
  rates: EncoderDropoutRates,
): tf.Tensor3D {
  const [batch, seqLen] = h.shape;
  const { numHeads, headDim } = cfg;
  const heads = (t: tf.Tensor) => tf.reshape(t, [batch, seqLen, numHeads, headDim]);
  const q = heads(project(h, p.proj.query, dropout));
  const k = heads(project(h, p.proj.key, dropout));
  const v = heads(project(h, p.proj.value, dropout));
  const attended = encoderAttention(q, k, v, bias, { numHeads, headDim }, rates.attentionProbs, dropout);
  const attnOut = hiddenDropout(project(attended, p.proj.attention_output, dropout), rates.hidden, dropout);
  const h1 = layerNorm(tf.add(attnOut, h), p.attentionNorm, cfg.layerNormEps);
  const inner = gelu(project(h1, p.proj.intermediate, dropout));
  const out = hiddenDropout(project(inner, p.proj.output, dropout), rates.hidden, dropout);
  return layerNorm(tf.add(out, h1), p.outputNorm, cfg.layerNormEps) as tf.Tensor3D;
}
