import { definePlugin, type MaskStrategy } from '@lookright/core';
import { maskErrors } from './errors.js';
import { checkLayerCount, specsWhere } from './layer-selection.js';

const id = 'mask:middle';

/**
 * The middle third of `numLayers`: round(L/3) contiguous layers, centred, with any odd layer left over going to
 * the top (32 layers: 10-20; 12 layers: 4-7; 4 layers: 1). Needs at least 3 layers.
 */
export function middleThird(numLayers: number): { first: number; count: number } {
  const count = Math.round(numLayers / 3);
  return { first: Math.floor((numLayers - count) / 2), count };
}

/** Params of `mask:middle`; the params type is derived from this schema. */
export const middleParams = { type: 'object', additionalProperties: false, properties: {} } as const;

/** The middle third of the layers bidirectional, the rest causal. */
export const middleMask = definePlugin<MaskStrategy, typeof middleParams>({
  id,
  kind: 'mask',
  summary: 'the middle third of the layers bidirectional (round(L/3) layers, centred); the rest causal',
  paramsSchema: middleParams,
  create() {
    return {
      label: 'middle',
      layerSpecs(numLayers) {
        checkLayerCount(id, numLayers);
        if (numLayers < 3) throw maskErrors.tooFewLayers(id, numLayers, 3);
        const { first, count } = middleThird(numLayers);
        return specsWhere(numLayers, (layer) => layer >= first && layer < first + count);
      },
    };
  },
});
