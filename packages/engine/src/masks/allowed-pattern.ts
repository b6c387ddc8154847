import type { LayerMaskSpec } from '@lookright/core';

/**
 * Whether query i may attend key j under one layer's spec, before padding is applied. `slidingWindow` is the
 * model's own window W (Mistral), or undefined for none: it keeps only keys with |i - j| < W, so a causal layer
 * sees 0 <= i - j < W and a bidirectional layer |i - j| < W (the hf-tiny fixture rules).
 */
export function specAllows(spec: LayerMaskSpec, i: number, j: number, slidingWindow?: number): boolean {
  if (slidingWindow !== undefined && Math.abs(i - j) >= slidingWindow) return false;
  switch (spec.kind) {
    case 'causal':
      return j <= i;
    case 'bidirectional':
      return true;
    case 'window':
      return j >= i - spec.left && j <= i + spec.right;
  }
}

/** A stable string naming the (query, key) pairs a spec admits; equal keys mean equal patterns. */
export function specKey(spec: LayerMaskSpec): string {
  return spec.kind === 'window' ? `window:${spec.left}:${spec.right}` : spec.kind;
}

/** The [S, S] 0/1 pattern of one spec (row = query, column = key), row-major. */
export function allowedPattern(spec: LayerMaskSpec, seqLen: number, slidingWindow?: number): Float32Array {
  const out = new Float32Array(seqLen * seqLen);
  for (let i = 0; i < seqLen; i++) {
    for (let j = 0; j < seqLen; j++) out[i * seqLen + j] = specAllows(spec, i, j, slidingWindow) ? 1 : 0;
  }
  return out;
}
