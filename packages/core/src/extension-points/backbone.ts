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

/** How a backbone loads its weights. */
export interface BackboneLoadOptions {
  /**
   * Storage of the frozen projection weights (recipe weightStorage, LoRA on webgpu): a backbone that can packs them
   * while loading, so their f32 values never reach the GPU; one that cannot loads f32 and the trainer packs after.
   */
  weightStorage?: 'f32' | 'f16' | 'bf16' | 'nf4';
}

/**
 * A pre-trained model resolved to a local folder (config.json, weights, tokenizer.json): what validation and the
 * harness need to know about it, and `load()`, which the trainer calls to build its tensors.
 */
export interface Backbone {
  readonly architecture: 'decoder' | 'encoder';
  /** Local folder holding config.json, weights and tokenizer.json; empty for a model not yet built (`fromConfig`). */
  readonly modelDir: string;
  readonly numLayers: number;
  /** Why these per-layer masks cannot apply to this model, or null when they can. */
  checkMasks(specs: readonly LayerMaskSpec[]): string | null;
  /** Loads the weights onto the current tfjs backend (the caller selects it first) and builds the model; a
   * `fromConfig` backbone has no weights yet: load the backbone `fromConfig.open` returns instead. */
  load(options?: BackboneLoadOptions): Promise<BackboneModel>;
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
