import type * as tf from '@tensorflow/tfjs-core';
import type { LinearParams } from './linear-params.js';

/**
 * One parameter of a model by HF name (no `model.` prefix), with a setter to swap its tensor. A frozen kernel held
 * in 16 bits (PackedKernel) comes back from `get` as it is: setTrainableSlots refuses to train it, dispose frees it.
 */
export interface ParameterSlot {
  name: string;
  get(): tf.Tensor;
  set(t: tf.Tensor): void;
}

/** A slot reading and writing `owner[key]`. */
export function slot<T extends object, K extends keyof T>(name: string, owner: T, key: K): ParameterSlot {
  return {
    name,
    get: () => owner[key] as tf.Tensor,
    set: (t) => {
      owner[key] = t as T[K];
    },
  };
}

/** A linear layer's weight, optional bias and LoRA pair. */
export function linearSlots(path: string, p: LinearParams): ParameterSlot[] {
  const out = [slot(`${path}.weight`, p, 'kernel')];
  if (p.bias) out.push(slot(`${path}.bias`, p, 'bias'));
  if (p.lora) out.push(slot(`${path}.lora_A.weight`, p.lora, 'a'), slot(`${path}.lora_B.weight`, p.lora, 'b'));
  return out;
}
