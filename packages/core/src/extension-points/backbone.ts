import type { LayerMaskSpec } from './mask-spec.js';

/** Service id under which backbone plugin descriptors are bound. */
export const Backbone = Symbol.for('lookright.Backbone');

/**
 * A pre-trained model resolved to a local folder (config.json, weights, tokenizer.json). The tensor-level model
 * lives in @lookright/engine; core only holds what validation and the harness need.
 */
export interface Backbone {
  readonly architecture: 'decoder' | 'encoder';
  /** Local folder holding config.json, weights and tokenizer.json; empty for a model not yet built (`fromConfig`). */
  readonly modelDir: string;
  readonly numLayers: number;
  /** Why these per-layer masks cannot apply to this model, or null when they can. */
  checkMasks(specs: readonly LayerMaskSpec[]): string | null;
  /**
   * Set when the backbone is a model config rather than a checkpoint: the trainer writes the model folder (config.json,
   * seeded random weights, a word-level tokenizer.json from the training split's words) and opens it with `open`.
   */
  readonly fromConfig?: ModelFromConfig;
}

/** The sizes of a transformer made from a config (its vocabulary comes from the data). */
export interface ModelSizes {
  hiddenSize: number;
  layers: number;
  heads: number;
  /** Key/value heads (grouped-query attention; decoders only); equal to `heads` when absent. */
  kvHeads?: number;
  intermediateSize: number;
  maxPositions: number;
}

/** A backbone made from a config: its sizes, and how to open the folder once the trainer has written it. */
export interface ModelFromConfig {
  readonly sizes: ModelSizes;
  /** Opens the written folder as a checkpoint backbone (modelDir set, weights loadable). */
  open(dir: string): Promise<Backbone>;
}
