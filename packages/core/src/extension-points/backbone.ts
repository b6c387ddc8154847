import type { LayerMaskSpec } from './mask-spec.js';

/** Service id under which backbone plugin descriptors are bound. */
export const Backbone = Symbol.for('lookright.Backbone');

/**
 * The tensor-level models a backbone can load, by architecture. Core leaves it empty because it knows no tensor
 * code; @lookright/engine fills it in by declaration merging (`declare module '@lookright/core' { interface
 * BackboneModels { decoder: DecoderModel; encoder: EncoderModel } }`), so `Backbone.load()` is typed for every
 * package that sees the engine.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging
export interface BackboneModels {}

/** A model some backbone loads: any of `BackboneModels`. */
export type BackboneModel = BackboneModels[keyof BackboneModels];

/**
 * A pre-trained model resolved to a local folder (config.json, weights, tokenizer.json): what validation and the
 * harness need to know about it, and `load()`, which the trainer calls to build its tensors.
 */
export interface Backbone {
  readonly architecture: 'decoder' | 'encoder';
  /** Local folder holding config.json, weights and tokenizer.json. */
  readonly modelDir: string;
  readonly numLayers: number;
  /** Why these per-layer masks cannot apply to this model, or null when they can. */
  checkMasks(specs: readonly LayerMaskSpec[]): string | null;
  /** Loads the weights onto the current tfjs backend (the caller selects it first) and builds the model. */
  load(): Promise<BackboneModel>;
}
