import type * as tf from '@tensorflow/tfjs-core';
import type { LinearParams } from '../model/decoder-params.js';
import type { ParameterSlot } from '../model/parameter-slots.js';
import {
  type EncoderParams,
  encoderProjectionNames,
  encoderProjectionPath,
  type LayerNormParams,
} from './encoder-params.js';

function slot<T extends object, K extends keyof T>(name: string, owner: T, key: K): ParameterSlot {
  return {
    name,
    get: () => owner[key] as tf.Tensor,
    set: (t) => {
      owner[key] = t as T[K];
    },
  };
}

function linearSlots(path: string, p: LinearParams): ParameterSlot[] {
  const out = [slot(`${path}.weight`, p, 'kernel')];
  if (p.bias) out.push(slot(`${path}.bias`, p, 'bias'));
  if (p.lora) out.push(slot(`${path}.lora_A.weight`, p.lora, 'a'), slot(`${path}.lora_B.weight`, p.lora, 'b'));
  return out;
}

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
