/**
 * What one layer's attention may see, as plain data. Strategies produce these; the engine's mask builder turns
 * them into additive attention biases. Padded keys are always masked, whatever the spec says.
 */
export type LayerMaskSpec =
  /** query i sees keys j <= i */
  | { kind: 'causal' }
  /** query i sees every key */
  | { kind: 'bidirectional' }
  /** query i sees keys j with i - left <= j <= i + right */
  | { kind: 'window'; left: number; right: number };

export const causal: LayerMaskSpec = Object.freeze({ kind: 'causal' });
export const bidirectional: LayerMaskSpec = Object.freeze({ kind: 'bidirectional' });

/** One character per layer: 0 causal, 1 bidirectional, w for a window; the paper's notation when G = L. */
export function maskSpecsToString(specs: readonly LayerMaskSpec[]): string {
  return specs.map((s) => (s.kind === 'causal' ? '0' : s.kind === 'bidirectional' ? '1' : 'w')).join('');
}

/** Whether two specs admit exactly the same (query, key) pairs. */
export function sameMaskSpec(a: LayerMaskSpec, b: LayerMaskSpec): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'window' && b.kind === 'window') return a.left === b.left && a.right === b.right;
  return true;
}
