import type * as tf from '@tensorflow/tfjs-core';
import type { LinearParams } from '../layers/linear-params.js';

/** The projection names of a decoder layer, as in HF module paths and PEFT's target_modules. */
export const attentionProjections = ['q_proj', 'k_proj', 'v_proj', 'o_proj'] as const;
export const mlpProjections = ['gate_proj', 'up_proj', 'down_proj'] as const;
export type ProjectionName = (typeof attentionProjections)[number] | (typeof mlpProjections)[number];
export const projectionNames: readonly ProjectionName[] = [...attentionProjections, ...mlpProjections];

/** Weights of one decoder layer. */
export interface DecoderLayerParams {
  inputNorm: tf.Tensor1D;
  postNorm: tf.Tensor1D;
  proj: Record<ProjectionName, LinearParams>;
}

/** Every weight of a decoder. `lmHead` is absent for a bare model; tied models reuse `embed`. */
export interface DecoderParams {
  embed: tf.Tensor2D;
  layers: DecoderLayerParams[];
  norm: tf.Tensor1D;
  lmHead?: LinearParams;
}

/** HF module path of a projection inside a layer, e.g. `self_attn.q_proj`, `mlp.down_proj`. */
export function projectionPath(name: ProjectionName): string {
  return (attentionProjections as readonly string[]).includes(name) ? `self_attn.${name}` : `mlp.${name}`;
}
