import type { LayerMaskSpec } from '@lookright/core';

/** The reason given for any per-layer mask an encoder cannot take. */
export const ENCODER_MASK_REASON =
  "an encoder's attention is always bidirectional; use mask:bidirectional for encoder baselines";

/**
 * Backbone.checkMasks for encoders: null when every layer is bidirectional, else the reason plus which layers
 * asked for something else (e.g. `layers 0-1 are causal`).
 */
export function checkEncoderMasks(specs: readonly LayerMaskSpec[]): string | null {
  const other = specs.flatMap((s, i) => (s.kind === 'bidirectional' ? [] : [`${i} ${s.kind}`]));
  if (other.length === 0) return null;
  const shown = other.slice(0, 6).join(', ') + (other.length > 6 ? `, ... (${other.length} layers)` : '');
  return `${ENCODER_MASK_REASON} (layer ${shown})`;
}
