import type * as tf from '@tensorflow/tfjs-core';

/** Right-padded token ids of one batch. */
export interface EncoderInput {
  ids: number[][];
  /** Real tokens per row; positions >= length are padding. */
  lengths: number[];
}

/**
 * A backbone at tensor level, as the trainer sees it: frozen base weights plus trainable adapters, the per-layer
 * attention masks already fixed. Implemented over @lookright/engine's models (see engine-encoder.ts).
 */
export interface SequenceEncoder {
  readonly hiddenSize: number;
  /** Id used for padding positions (never attended to). */
  readonly padId: number;
  /** Trainable variables (e.g. LoRA A/B), in a stable order: checkpoints rely on it. */
  trainableVariables(): tf.Variable[];
  /** Last hidden states [batch, tokens, hidden]. `dropoutSeed` null = evaluation (no dropout). */
  hiddenStates(input: EncoderInput, dropoutSeed: number | null): tf.Tensor3D;
  dispose(): void;
}
