import { definePlugin, type MaskStrategy } from '@lookright/core';
import { maskErrors } from './errors.js';
import { checkCount, checkLayerCount, specsWhere } from './layer-selection.js';

const id = 'mask:first-k';

/** Params of `mask:first-k`; the params type is derived from this schema. */
export const firstKParams = {
  type: 'object',
  additionalProperties: false,
  required: ['k'],
  properties: { k: { type: 'integer', minimum: 0, description: 'number of bidirectional layers from the input' } },
} as const;

/** The first k layers (nearest the input) bidirectional, the rest causal. k = 0 is all causal, k = L all open. */
export const firstKMask = definePlugin<MaskStrategy, typeof firstKParams>({
  id,
  kind: 'mask',
  summary: 'the first k layers, nearest the input, bidirectional; the rest causal',
  paramsSchema: firstKParams,
  create(params) {
    const k = checkCount(id, 'k', params.k);
    return {
      label: `first-k:${k}`,
      layerSpecs(numLayers) {
        checkLayerCount(id, numLayers);
        if (k > numLayers) throw maskErrors.countAboveLayers(id, 'k', k, numLayers);
        return specsWhere(numLayers, (layer) => layer < k);
      },
    };
  },
});
