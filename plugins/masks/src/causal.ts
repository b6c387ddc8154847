import { definePlugin, type MaskStrategy } from '@lookright/core';
import { checkLayerCount, specsWhere } from './layer-selection.js';

const id = 'mask:causal';

/** Params of `mask:causal`; the params type is derived from this schema. */
export const causalParams = { type: 'object', additionalProperties: false, properties: {} } as const;

/** Every layer causal: the decoder as pre-trained (the paper's "0000"). */
export const causalMask = definePlugin<MaskStrategy, typeof causalParams>({
  id,
  kind: 'mask',
  summary: 'every layer causal (query i sees keys j <= i)',
  paramsSchema: causalParams,
  create() {
    return {
      label: 'causal',
      layerSpecs(numLayers) {
        checkLayerCount(id, numLayers);
        return specsWhere(numLayers, () => false);
      },
    };
  },
});
