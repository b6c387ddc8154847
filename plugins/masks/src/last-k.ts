import { definePlugin, type MaskStrategy } from '@lookright/core';
import { maskErrors } from './errors.js';
import { checkCount, checkLayerCount, specsWhere } from './layer-selection.js';

const id = 'mask:last-k';

/** Params of `mask:last-k`; the params type is derived from this schema. */
export const lastKParams = {
  type: 'object',
  additionalProperties: false,
  required: ['k'],
  properties: { k: { type: 'integer', minimum: 0, description: 'number of bidirectional layers from the output' } },
} as const;

/** The last k layers (nearest the output) bidirectional, the rest causal. k = 0 is all causal, k = L all open. */
export const lastKMask = definePlugin<MaskStrategy, typeof lastKParams>({
  id,
  kind: 'mask',
  summary: 'the last k layers, nearest the output, bidirectional; the rest causal',
  paramsSchema: lastKParams,
  create(params) {
    const k = checkCount(id, 'k', params.k);
    return {
      label: `last-k:${k}`,
      layerSpecs(numLayers) {
        checkLayerCount(id, numLayers);
        if (k > numLayers) throw maskErrors.countAboveLayers(id, 'k', k, numLayers);
        return specsWhere(numLayers, (layer) => layer >= numLayers - k);
      },
    };
  },
});
