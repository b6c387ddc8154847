import * as tf from '@tensorflow/tfjs-core';
import type { CheckpointContents } from '../checkpoint/checkpoint-file.js';
import type { AdamW } from '../optim/adamw.js';

/** Plain copies of variable values (e.g. the best model so far), independent of later updates. */
export type WeightSnapshot = Float32Array[];

/** Reads the variables back asynchronously (a GPU backend has no synchronous read in Node). */
export async function snapshotWeights(variables: readonly tf.Variable[]): Promise<WeightSnapshot> {
  return Promise.all(variables.map(async (v) => Float32Array.from((await v.data()) as Float32Array)));
}

/** Assigns a snapshot back to the variables; the temporary tensors are disposed (the variables keep the data). */
export function restoreWeights(variables: readonly tf.Variable[], snapshot: WeightSnapshot): void {
  tf.tidy(() => {
    variables.forEach((v, i) => {
      v.assign(tf.tensor(snapshot[i], v.shape, 'float32'));
    });
  });
}

/** Tensors of a checkpoint: `param.i` current weights, `adam.m.i` / `adam.v.i` moments, `best.i` best weights. */
export async function checkpointTensors(
  variables: readonly tf.Variable[],
  optimizer: AdamW,
  best: WeightSnapshot | null,
): Promise<CheckpointContents['tensors']> {
  const tensors: CheckpointContents['tensors'] = new Map();
  const moments = (await optimizer.getState()).moments;
  const params = await snapshotWeights(variables);
  variables.forEach((v, i) => {
    tensors.set(`param.${i}`, { shape: v.shape, data: params[i] });
    tensors.set(`adam.m.${i}`, { shape: v.shape, data: moments[i].m });
    tensors.set(`adam.v.${i}`, { shape: v.shape, data: moments[i].v });
    if (best) tensors.set(`best.${i}`, { shape: v.shape, data: best[i] });
  });
  return tensors;
}

/**
 * Loads weights, moments and best weights back; returns the best snapshot (null when the checkpoint had none).
 * Returns a description of the first mismatch instead when shapes or counts differ.
 */
export function restoreFromTensors(
  variables: readonly tf.Variable[],
  optimizer: AdamW,
  optimizerStep: number,
  tensors: CheckpointContents['tensors'],
): { best: WeightSnapshot | null } | { mismatch: string } {
  const get = (name: string, shape: number[]) => {
    const t = tensors.get(name);
    if (!t) return `tensor ${name} is missing`;
    if (t.shape.join('x') !== shape.join('x')) return `tensor ${name} has shape ${t.shape} but the run has ${shape}`;
    return t.data;
  };
  const params: Float32Array[] = [];
  const moments: { m: Float32Array; v: Float32Array }[] = [];
  const best: Float32Array[] = [];
  for (const [i, v] of variables.entries()) {
    const p = get(`param.${i}`, v.shape);
    const m = get(`adam.m.${i}`, v.shape);
    const s = get(`adam.v.${i}`, v.shape);
    for (const x of [p, m, s]) if (typeof x === 'string') return { mismatch: x };
    params.push(p as Float32Array);
    moments.push({ m: m as Float32Array, v: s as Float32Array });
    if (tensors.has(`best.${i}`)) best.push(tensors.get(`best.${i}`)?.data as Float32Array);
  }
  if (tensors.has(`param.${variables.length}`)) return { mismatch: 'it holds more trainable tensors than the run' };
  restoreWeights(variables, params);
  optimizer.setState({ step: optimizerStep, moments });
  return { best: best.length === variables.length ? best : null };
}
