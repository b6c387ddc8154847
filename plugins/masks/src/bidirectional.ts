import { definePlugin, type MaskStrategy } from '@lookright/core';
import { checkLayerCount, specsWhere } from './layer-selection.js';

const id = 'mask:bidirectional';

/** Params of `mask:bidirectional`; the params type is derived from this schema. */
export const bidirectionalParams = { type: 'object', additionalProperties: false, properties: {} } as const;

/** Every layer bidirectional: the causal mask removed everywhere (the paper's "1111"). */
export const bidirectionalMask = definePlugin<MaskStrategy, typeof bidirectionalParams>({
  id,
  kind: 'mask',
  summary: 'every layer bidirectional (query i sees every real key)',
  paramsSchema: bidirectionalParams,
  create() {
    return {
      label: 'bidirectional',
      layerSpecs(numLayers) {
        checkLayerCount(id, numLayers);
        return specsWhere(numLayers, () => true);
      },
    };
  },
});
