import { linearSlots, type ParameterSlot, slot } from '../layers/parameter-slots.js';
import { type DecoderParams, projectionNames, projectionPath } from './decoder-params.js';

/** Every parameter of the decoder, in checkpoint order. */
export function parameterSlots(params: DecoderParams): ParameterSlot[] {
  const out = [slot('embed_tokens.weight', params, 'embed')];
  params.layers.forEach((layer, i) => {
    const base = `layers.${i}`;
    out.push(slot(`${base}.input_layernorm.weight`, layer, 'inputNorm'));
    out.push(slot(`${base}.post_attention_layernorm.weight`, layer, 'postNorm'));
    for (const p of projectionNames) out.push(...linearSlots(`${base}.${projectionPath(p)}`, layer.proj[p]));
  });
  out.push(slot('norm.weight', params, 'norm'));
  if (params.lmHead) out.push(...linearSlots('lm_head', params.lmHead));
  return out;
}
