import type * as tf from '@tensorflow/tfjs-core';
import type { SeededRng } from '../seeded-rng.js';
import type { TaggedCorpus } from './dataset-source.js';

/** Service id under which head plugin descriptors are bound. */
export const Head = Symbol.for('lookright.Head');

/**
 * Which token positions of a padded batch carry a word label, and which label. `positions[b]` lists the token
 * indices (e.g. each word's first sub-word) in word order; `labels[b][i]` is the label id of `positions[b][i]`.
 */
export interface ScoredPositions {
  positions: number[][];
  labels?: number[][];
}

/** A token-classification head at tensor level: owns its variables, computes a loss and decodes labels. */
export interface TokenHead {
  readonly type: string;
  readonly numLabels: number;
  /** Trainable variables, in a stable order (checkpoints rely on it). */
  variables(): tf.Variable[];
  /**
   * Mean loss over scored positions. `hidden` is [batch, tokens, hiddenSize]; `dropoutSeed` seeds this call's
   * dropout mask (training only). Must be called inside tf.tidy / variableGrads.
   */
  loss(hidden: tf.Tensor3D, target: Required<ScoredPositions>, dropoutSeed: number | null): tf.Scalar;
  /** Label ids per scored position, per sentence. Never uses `labels`. */
  decode(hidden: tf.Tensor3D, scored: ScoredPositions): Promise<number[][]>;
  dispose(): void;
}

/** What a head needs to build its tensors. */
export interface HeadBuildSpec {
  hiddenSize: number;
  labels: readonly string[];
  scheme: TaggedCorpus['scheme'];
  /** Dropout rate applied to the hidden states before the linear layer. */
  dropout: number;
  /** Initialisation stream. */
  rng: SeededRng;
}

/**
 * What a `head:*` plugin creates: a token-classification head for a backbone's last hidden state, built once the
 * trainer knows the hidden size and the label set. Core names tfjs types only (type imports, nothing runs).
 */
export interface Head {
  /** e.g. `linear` or `crf`. */
  readonly type: string;
  /** Builds the tensor-level head (its variables initialised from `spec.rng`). */
  build(spec: HeadBuildSpec): TokenHead;
}
