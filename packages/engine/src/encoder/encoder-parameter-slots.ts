import { linearSlots, type ParameterSlot, slot } from '../layers/parameter-slots.js';
import {
  type EncoderParams,
  encoderProjectionNames,
  encoderProjectionPath,
  type LayerNormParams,
} from './encoder-params.js';

function normSlots(path: string, p: LayerNormParams): ParameterSlot[] {
  return [slot(`${path}.weight`, p, 'weight'), slot(`${path}.bias`, p, 'bias')];
}

/** Every parameter of the encoder by HF name without the `bert.` / `roberta.` prefix, in checkpoint order. */
export function encoderParameterSlots(params: EncoderParams): ParameterSlot[] {
  const out = [
    slot('embeddings.word_embeddings.weight', params, 'wordEmbeddings'),
    slot('embeddings.position_embeddings.weight', params, 'positionEmbeddings'),
    slot('embeddings.token_type_embeddings.weight', params, 'tokenTypeEmbeddings'),
    ...normSlots('embeddings.LayerNorm', params.embeddingNorm),
  ];
  params.layers.forEach((layer, i) => {
    const base = `encoder.layer.${i}`;
    for (const p of encoderProjectionNames)
      out.push(...linearSlots(`${base}.${encoderProjectionPath(p)}`, layer.proj[p]));
    out.push(...normSlots(`${base}.attention.output.LayerNorm`, layer.attentionNorm));
    out.push(...normSlots(`${base}.output.LayerNorm`, layer.outputNorm));
  });
  if (params.pooler) out.push(...linearSlots('pooler.dense', params.pooler));
  return out;
}
