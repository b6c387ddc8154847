import * as tf from '@tensorflow/tfjs-core';
import type { DropoutContext } from '../layers/projection.js';
import { trainingOps } from '../ops/index.js';

/**
 * Bidirectional multi-head attention of an encoder layer. q, k, v are [B, S, heads, D], bias [B, 1, S, S]; returns
 * [B, S, heads * D]. Without dropout it is the engine's attention op (which native kernels may replace). In
 * training with `probsDropout` > 0 it drops attention probabilities as BERT does (attention_probs_dropout_prob),
 * built from the same batched matMul and masked softmax ops.
 */
export function encoderAttention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  bias: tf.Tensor4D,
  shape: { numHeads: number; headDim: number },
  probsDropout: number,
  dropout: DropoutContext,
): tf.Tensor {
  const ops = trainingOps();
  const { numHeads, headDim } = shape;
  if (!dropout.training || probsDropout <= 0) {
    return ops.attention(q, k, v, bias, { numHeads, numKvHeads: numHeads, headDim });
  }
  const [batch, seqLen] = q.shape;
  const qt = tf.transpose(q, [0, 2, 1, 3]);
  const kt = tf.transpose(k, [0, 2, 3, 1]);
  const vt = tf.transpose(v, [0, 2, 1, 3]);
  const probs = ops.maskedSoftmax(ops.batchedMatMul(qt, kt), bias, 1 / Math.sqrt(headDim));
  const dropped = ops.dropout(probs, probsDropout, dropout.nextSeed());
  const ctx = ops.batchedMatMul(dropped, vt);
  return tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [batch, seqLen, numHeads * headDim]);
}
