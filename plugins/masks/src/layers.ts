import { definePlugin, type MaskStrategy } from '@lookright/core';
import { checkLayerCount, layerListSchema, parseLayerList, specsWhere } from './layer-selection.js';

const id = 'mask:layers';

/** Params of `mask:layers`; the params type is derived from this schema. */
export const layersParams = {
  type: 'object',
  additionalProperties: false,
  required: ['layers'],
  properties: { layers: layerListSchema },
} as const;

/** An explicit list of bidirectional layers, e.g. `"0-7,24-31"` (inclusive ranges, 0 nearest the input). */
export const layersMask = definePlugin<MaskStrategy, typeof layersParams>({
  id,
  kind: 'mask',
  summary: 'the listed layers bidirectional ("0-7,24-31", 0 nearest the input); the rest causal',
  paramsSchema: layersParams,
  create(params) {
    const layers = params.layers;
    parseLayerList(id, 'layers', layers);
    return {
      label: `layers:${typeof layers === 'string' ? layers.replace(/\s+/g, '') : layers.join(',')}`,
      layerSpecs(numLayers) {
        checkLayerCount(id, numLayers);
        const open = new Set(parseLayerList(id, 'layers', layers, numLayers));
        return specsWhere(numLayers, (layer) => open.has(layer));
      },
    };
  },
});
