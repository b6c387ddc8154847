import * as tf from '@tensorflow/tfjs-core';
import { modelErrors } from '../errors.js';
import { isPackedKernel } from '../ops/packed-kernel.js';
import type { ParameterSlot } from './parameter-slots.js';

/** Per model family, how many variables were created so far: tfjs variable names must be unique. */
const created = new Map<string, number>();

/**
 * Turns the slots whose HF name passes `select` into trainable tf.Variables (a slot already holding one keeps it),
 * and every other slot into a constant. Returns the trainable variables by name. Variables are named
 * `<slot name>@<scope><n>`. The decoder and the encoder models both train through this one function.
 */
export function setTrainableSlots(
  slots: readonly ParameterSlot[],
  select: (name: string) => boolean,
  scope: string,
): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const slot of slots) {
    const current = slot.get();
    if (isPackedKernel(current)) {
      if (select(slot.name)) throw modelErrors.packedWeightTrainable(slot.name, current.format);
      continue;
    }
    if (select(slot.name)) {
      if (current instanceof tf.Variable && current.trainable) {
        out.set(slot.name, current);
        continue;
      }
      const n = created.get(scope) ?? 0;
      created.set(scope, n + 1);
      const v = tf.variable(current, true, `${slot.name}@${scope}${n}`);
      current.dispose();
      slot.set(v);
      out.set(slot.name, v);
    } else if (current instanceof tf.Variable) {
      const constant = tf.clone(current);
      current.dispose();
      slot.set(constant);
    }
  }
  return out;
}
