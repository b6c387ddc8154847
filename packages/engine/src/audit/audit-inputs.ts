import { SeededRng } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';

/** A deterministic generator of floats in [0, 1), so an audit sees the same inputs every time. */
export function seededRandom(seed: number): () => number {
  const rng = new SeededRng(seed);
  return () => rng.next();
}

/** The audit's sequence: `realLength` random real tokens, then padding up to `seqLen` (right padding). */
export interface AuditSequence {
  seqLen: number;
  realLength: number;
  ids: Int32Array;
  /** 1 = real token, 0 = padding. */
  mask: Int32Array;
}

export function auditSequence(seqLen: number, realLength: number, vocabSize: number, seed: number): AuditSequence {
  const random = seededRandom(seed);
  const ids = Int32Array.from({ length: seqLen }, (_, i) => (i < realLength ? Math.floor(random() * vocabSize) : 0));
  const mask = Int32Array.from({ length: seqLen }, (_, i) => (i < realLength ? 1 : 0));
  return { seqLen, realLength, ids, mask };
}

/** A token id different from `id`. */
export function otherToken(id: number, vocabSize: number, random: () => number): number {
  return (id + 1 + Math.floor(random() * (vocabSize - 1))) % vocabSize;
}

/** `rows` copies of one [S] row as an int32 [rows, S] tensor, each changed by `edit(row, copy)`. */
export function tileRows(row: Int32Array, rows: number, edit: (copy: Int32Array, index: number) => void): tf.Tensor2D {
  const data = new Int32Array(rows * row.length);
  for (let r = 0; r < rows; r++) {
    const copy = data.subarray(r * row.length, (r + 1) * row.length);
    copy.set(row);
    edit(copy, r);
  }
  return tf.tensor2d(data, [rows, row.length], 'int32');
}

/** max over the last axis of |a[b] - a[0]| for every batch row b and position i: [B, S] flattened. */
export function deltasFromFirst(
  values: Float32Array | Int32Array | Uint8Array,
  batch: number,
  seqLen: number,
  width: number,
): Float32Array {
  const out = new Float32Array(batch * seqLen);
  const stride = seqLen * width;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < seqLen; i++) {
      let worst = 0;
      const at = b * stride + i * width;
      const base = i * width;
      for (let h = 0; h < width; h++) worst = Math.max(worst, Math.abs(values[at + h] - values[base + h]));
      out[b * seqLen + i] = worst;
    }
  }
  return out;
}

/** max |x| over a typed array. */
export function maxAbs(values: Float32Array | Int32Array | Uint8Array): number {
  let m = 0;
  for (let n = 0; n < values.length; n++) m = Math.max(m, Math.abs(values[n]));
  return m;
}

/**
 * The output change that counts as "moved": above `tolerance` x `scale`, and above 8x the largest change of the
 * control row (an unchanged copy of row 0, run alongside), which measures the backend's own numerical noise. On
 * a deterministic backend the noise is exactly 0, so any change at all counts: a key with a tiny attention weight
 * is still seen.
 */
export function movedThreshold(
  deltas: Float32Array,
  seqLen: number,
  controlRow: number,
  scale: number,
  tolerance: number,
): number {
  let noise = 0;
  for (let i = 0; i < seqLen; i++) noise = Math.max(noise, deltas[controlRow * seqLen + i]);
  return Math.max(tolerance * scale, 8 * noise);
}

/** The parts laid end to end in one array (per-group forward outputs back into one batch). */
export function concatFloat32(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Reads the tensors back (asynchronously: a GPU backend has no synchronous read in Node) and disposes them. */
export async function readAll(tensors: readonly tf.Tensor[]): Promise<Float32Array[]> {
  try {
    return await Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
  } finally {
    tf.dispose(tensors as tf.Tensor[]);
  }
}
