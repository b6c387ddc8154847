import type { LayerMaskSpec } from './mask-spec.js';

/** Service id under which backbone plugin descriptors are bound. */
export const Backbone = Symbol.for('lookright.Backbone');

/**
 * A pre-trained model resolved to a local folder (config.json, weights, tokenizer.json). The tensor-level model
 * lives in @lookright/engine; core only holds what validation and the harness need.
 */
export interface Backbone {
  readonly architecture: 'decoder' | 'encoder';
  /** Local folder holding config.json, weights and tokenizer.json. */
  readonly modelDir: string;
  readonly numLayers: number;
  /** Why these per-layer masks cannot apply to this model, or null when they can. */
  checkMasks(specs: readonly LayerMaskSpec[]): string | null;
}
