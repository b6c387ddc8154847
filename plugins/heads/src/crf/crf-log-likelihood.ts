import * as tf from '@tensorflow/tfjs-core';

/** Tensors of a linear-chain CRF; `*Penalty` are constants (0 allowed, a large negative number forbidden). */
export interface CrfParams {
  transitions: tf.Tensor2D;
  start: tf.Tensor1D;
  end: tf.Tensor1D;
  transitionPenalty: tf.Tensor2D;
  startPenalty: tf.Tensor1D;
  endPenalty: tf.Tensor1D;
}

/**
 * Log partition function per sentence by the forward algorithm. `emissions` [batch, words, labels]; `lengths` the
 * number of real words per sentence (>= 1); later positions are padding and leave the running scores unchanged.
 */
export function crfLogPartition(emissions: tf.Tensor3D, lengths: readonly number[], crf: CrfParams): tf.Tensor1D {
  return tf.tidy(() => {
    const [batch, words, labels] = emissions.shape;
    const trans = tf.reshape(tf.add(crf.transitions, crf.transitionPenalty), [1, labels, labels]);
    const step = (t: number) => tf.squeeze(tf.slice(emissions, [0, t, 0], [batch, 1, labels]), [1]);
    let alpha: tf.Tensor2D = tf.add(tf.add(crf.start, crf.startPenalty), step(0));
    for (let t = 1; t < words; t++) {
      const scores = tf.add(tf.reshape(alpha, [batch, labels, 1]), trans);
      const next = tf.add(tf.logSumExp(scores, 1), step(t)) as tf.Tensor2D;
      const live = tf.tensor2d(
        lengths.map((n) => (t < n ? 1 : 0)),
        [batch, 1],
      );
      alpha = tf.add(tf.mul(live, next), tf.mul(tf.sub(1, live), alpha));
    }
    return tf.logSumExp(tf.add(alpha, tf.add(crf.end, crf.endPenalty)), 1) as tf.Tensor1D;
  });
}

/** Score of the given label paths (`tags[b]` has `lengths[b]` entries), using one-hot counts built on the JS side. */
export function crfPathScore(
  emissions: tf.Tensor3D,
  tags: readonly (readonly number[])[],
  crf: CrfParams,
): tf.Tensor1D {
  return tf.tidy(() => {
    const [batch, words, labels] = emissions.shape;
    const emitted = new Float32Array(batch * words * labels);
    const pairs = new Float32Array(batch * labels * labels);
    const starts = new Float32Array(batch * labels);
    const ends = new Float32Array(batch * labels);
    tags.forEach((path, b) => {
      path.forEach((label, t) => {
        emitted[(b * words + t) * labels + label] = 1;
        if (t > 0) pairs[(b * labels + path[t - 1]) * labels + label] += 1;
      });
      starts[b * labels + path[0]] = 1;
      ends[b * labels + path[path.length - 1]] = 1;
    });
    const trans = tf.add(crf.transitions, crf.transitionPenalty);
    const emission = tf.sum(tf.mul(tf.tensor3d(emitted, [batch, words, labels]), emissions), [1, 2]);
    const transition = tf.sum(tf.mul(tf.tensor3d(pairs, [batch, labels, labels]), trans), [1, 2]);
    const start = tf.sum(tf.mul(tf.tensor2d(starts, [batch, labels]), tf.add(crf.start, crf.startPenalty)), 1);
    const end = tf.sum(tf.mul(tf.tensor2d(ends, [batch, labels]), tf.add(crf.end, crf.endPenalty)), 1);
    return tf.addN([emission, transition, start, end]) as tf.Tensor1D;
  });
}

/** Mean negative log-likelihood of the gold paths. */
export function crfNegLogLikelihood(
  emissions: tf.Tensor3D,
  tags: readonly (readonly number[])[],
  crf: CrfParams,
): tf.Scalar {
  return tf.tidy(() => {
    const logZ = crfLogPartition(
      emissions,
      tags.map((t) => t.length),
      crf,
    );
    return tf.mean(tf.sub(logZ, crfPathScore(emissions, tags, crf))) as tf.Scalar;
  });
}
