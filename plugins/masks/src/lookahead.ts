import { causal, definePlugin, type LayerMaskSpec, type MaskStrategy } from '@lookright/core';
import { checkCount, checkLayerCount, layerListSchema, parseLayerList } from './layer-selection.js';

const id = 'mask:lookahead';

/**
 * A window side that reaches every position: `Number.MAX_SAFE_INTEGER`, an integer (so mask builders that check
 * integer sides accept it, and logged configs stay valid JSON, which Infinity is not).
 */
export const unboundedSide = Number.MAX_SAFE_INTEGER;

/**
 * The spec of a causal layer that also sees k tokens to the right: query i sees keys j <= i + k, i.e. a window
 * with an unbounded left side. k = 0 gives plain `causal`.
 */
export function lookaheadSpec(k: number): LayerMaskSpec {
  return k === 0 ? causal : Object.freeze({ kind: 'window', left: unboundedSide, right: k });
}

/** Params of `mask:lookahead`; the params type is derived from this schema. */
export const lookaheadParams = {
  type: 'object',
  additionalProperties: false,
  required: ['k'],
  properties: {
    k: { type: 'integer', minimum: 0, description: 'tokens to the right each query may see (0 = causal)' },
    layers: { ...layerListSchema, description: 'layers given the lookahead (default: every layer)' },
  },
} as const;

/** Every layer, or the chosen layers, may see k tokens to the right of each query; other layers stay causal. */
export const lookaheadMask = definePlugin<MaskStrategy, typeof lookaheadParams>({
  id,
  kind: 'mask',
  summary: 'every layer (or the chosen layers) sees k tokens to the right; the rest causal',
  paramsSchema: lookaheadParams,
  create(params) {
    const k = checkCount(id, 'k', params.k);
    const layers = params.layers;
    if (layers !== undefined) parseLayerList(id, 'layers', layers);
    const where = layers === undefined ? '' : `@${typeof layers === 'string' ? layers.replace(/\s+/g, '') : layers}`;
    return {
      label: `lookahead:${k}${where}`,
      layerSpecs(numLayers) {
        checkLayerCount(id, numLayers);
        const chosen = layers === undefined ? undefined : new Set(parseLayerList(id, 'layers', layers, numLayers));
        const open = lookaheadSpec(k);
        return Array.from({ length: numLayers }, (_, layer) =>
          chosen === undefined || chosen.has(layer) ? open : causal,
        );
      },
    };
  },
});
