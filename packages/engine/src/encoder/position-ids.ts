import * as tf from '@tensorflow/tfjs-core';
import type { EncoderConfig } from './encoder-config.js';

/**
 * Position ids [B, S] (int32) the way transformers makes them when none are passed: BERT uses 0..S-1 for every
 * row; RoBERTa `cumsum(ids != pad) * (ids != pad) + pad`, so real tokens count from pad + 1 and pad tokens get
 * pad (it depends on the pad token id, not on attention_mask).
 */
export function encoderPositionIds(cfg: EncoderConfig, inputIds: tf.Tensor2D): tf.Tensor2D {
  const [batch, seqLen] = inputIds.shape;
  return tf.tidy(() => {
    if (cfg.positionIds === 'arange') return tf.tile(tf.expandDims(tf.range(0, seqLen, 1, 'int32'), 0), [batch, 1]);
    const real = tf.cast(tf.notEqual(inputIds, cfg.padTokenId), 'int32');
    return tf.add(tf.mul(tf.cumsum(real, 1), real), tf.scalar(cfg.padTokenId, 'int32')) as tf.Tensor2D;
  });
}
