import type { DecoderModel } from './decoder/decoder-model.js';
import type { EncoderModel } from './encoder/encoder-model.js';

/** The models `Backbone.load()` returns: a Llama-family decoder or a BERT / RoBERTa encoder. */
export type LoadedBackboneModel = DecoderModel | EncoderModel;

declare module '@lookright/core' {
  /** The engine's models fill in core's open map of what a backbone loads (see core's Backbone). */
  interface BackboneModels {
    decoder: DecoderModel;
    encoder: EncoderModel;
  }
}
