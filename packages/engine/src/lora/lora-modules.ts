import type { DecoderModel } from '../decoder/decoder-model.js';
import { type ProjectionName, projectionNames, projectionPath } from '../decoder/decoder-params.js';
import type { EncoderModel } from '../encoder/encoder-model.js';
import {
  type EncoderProjectionName,
  encoderProjectionNames,
  encoderProjectionPath,
} from '../encoder/encoder-params.js';
import type { LinearParams } from '../layers/linear-params.js';

/** A model LoRA can adapt: a Llama-family decoder or a BERT / RoBERTa encoder. */
export type LoraModel = DecoderModel | EncoderModel;

/** One linear module LoRA can adapt. */
export interface LoraModule {
  /** HF module path without the wrapping class's prefix, e.g. `layers.0.self_attn.q_proj`, `encoder.layer.0.attention.self.query`. */
  name: string;
  layer: number;
  /** The module's own short name, as in PEFT target_modules: `q_proj`, `query`, `dense`... */
  target: string;
  /** The decoder projection it plays the part of (`query` is `q_proj`), so `q`/`v` recipes fit both. */
  role: ProjectionName;
  linear: LinearParams;
}

/** Which decoder projection each encoder linear plays the part of. */
const ENCODER_ROLES: Record<EncoderProjectionName, ProjectionName> = {
  query: 'q_proj',
  key: 'k_proj',
  value: 'v_proj',
  attention_output: 'o_proj',
  intermediate: 'up_proj',
  output: 'down_proj',
};

export function isEncoderModel(model: LoraModel): model is EncoderModel {
  return 'wordEmbeddings' in model.params;
}

/** Every adaptable linear module of the model, layer by layer. */
export function loraModules(model: LoraModel): LoraModule[] {
  const out: LoraModule[] = [];
  if (isEncoderModel(model)) {
    model.params.layers.forEach((layer, i) => {
      for (const p of encoderProjectionNames) {
        const path = encoderProjectionPath(p);
        const name = `encoder.layer.${i}.${path}`;
        out.push({
          name,
          layer: i,
          target: path.slice(path.lastIndexOf('.') + 1),
          role: ENCODER_ROLES[p],
          linear: layer.proj[p],
        });
      }
    });
    return out;
  }
  model.params.layers.forEach((layer, i) => {
    for (const p of projectionNames) {
      out.push({ name: `layers.${i}.${projectionPath(p)}`, layer: i, target: p, role: p, linear: layer.proj[p] });
    }
  });
  return out;
}

/**
 * The prefix the usual wrapping class adds before the model's own names (`model.` for *ForCausalLM, `bert.` /
 * `roberta.` for Bert/RobertaFor*), and the name of its token-classification head (`score` / `classifier`).
 */
export function wrapperNames(model: LoraModel): { prefix: string; head: string } {
  if (!isEncoderModel(model)) return { prefix: 'model.', head: 'score' };
  return { prefix: model.config.family === 'bert' ? 'bert.' : 'roberta.', head: 'classifier' };
}
