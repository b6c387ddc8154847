import * as tf from '@tensorflow/tfjs-core';
import { batchedMatMul } from './batched-matmul.js';
import { maskedSoftmax } from './masked-softmax.js';

/** Head counts of grouped-query attention: query head h reads key/value head floor(h / (heads / kvHeads)). */
export interface AttentionShape {
  numHeads: number;
  numKvHeads: number;
  headDim: number;
}

/**
 * Scaled dot-product attention with grouped-query heads and an additive mask.
 * q [B, S, heads, D], k and v [B, S, kvHeads, D], bias broadcastable to [B, heads, S, S]; returns [B, S, heads * D].
 * K/V heads are never repeated: the query heads sharing one K/V head are stacked along the query axis
 * ([B, kvHeads, group * S, D]), so each K/V head is one batched matMul (no rank-5 tile, whose gradient tfjs lacks).
 */
export function attention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, bias: tf.Tensor, shape: AttentionShape): tf.Tensor {
  return attentionWithSoftmax(maskedSoftmax, q, k, v, bias, shape);
}

/** `attention` with another masked softmax of the same contract (e.g. a backend's fused kernel). */
export function attentionWithSoftmax(
  softmax: typeof maskedSoftmax,
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  bias: tf.Tensor,
  shape: AttentionShape,
): tf.Tensor {
  const { numHeads, numKvHeads, headDim } = shape;
  const [batch, seqLen] = q.shape;
  const group = numHeads / numKvHeads;
  return tf.tidy(() => {
    const qg = tf.reshape(tf.transpose(q, [0, 2, 1, 3]), [batch, numKvHeads, group * seqLen, headDim]);
    const kt = tf.transpose(k, [0, 2, 3, 1]);
    const vt = tf.transpose(v, [0, 2, 1, 3]);
    const scores = tf.reshape(batchedMatMul(qg, kt), [batch, numHeads, seqLen, seqLen]);
    const probs = softmax(scores, bias, 1 / Math.sqrt(headDim));
    const ctx = batchedMatMul(tf.reshape(probs, [batch, numKvHeads, group * seqLen, seqLen]), vt);
    const heads = tf.transpose(tf.reshape(ctx, [batch, numHeads, seqLen, headDim]), [0, 2, 1, 3]);
    return tf.reshape(heads, [batch, seqLen, numHeads * headDim]);
  });
}
