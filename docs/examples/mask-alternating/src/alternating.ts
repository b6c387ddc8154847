import { bidirectional, causal, definePlugin, type MaskStrategy } from '@lookright/core';
import { alternatingErrors } from './errors.js';

/** Params of `mask:alternating`. Written `as const` so the params type is derived from the schema. */
export const alternatingParams = {
  type: 'object',
  additionalProperties: false,
  properties: {
    period: { type: 'integer', minimum: 1, default: 1, description: 'layers per block (1: every other layer)' },
    first: {
      enum: ['bidirectional', 'causal'],
      default: 'bidirectional',
      description: 'kind of the block nearest the input',
    },
  },
} as const;

/**
 * `mask:alternating`: blocks of `period` layers take turns being bidirectional and causal, starting at the input
 * with `first`. period 1 on 4 layers gives 1010; period 2 on 8 layers gives 11001100.
 */
export const alternatingMask = definePlugin<MaskStrategy, typeof alternatingParams>({
  id: 'mask:alternating',
  kind: 'mask',
  summary: 'blocks of `period` layers alternate between bidirectional and causal, from the input',
  paramsSchema: alternatingParams,
  create(params) {
    const period = params.period ?? 1;
    const first = params.first ?? 'bidirectional';
    if (!Number.isInteger(period) || period < 1) {
      throw alternatingErrors.badPeriod(period);
    }
    return {
      label: `alternating:${period}${first === 'causal' ? ':causal-first' : ''}`,
      layerSpecs(numLayers) {
        if (period >= numLayers) throw alternatingErrors.periodTooLong(period, numLayers);
        return Array.from({ length: numLayers }, (_, layer) => {
          const firstKind = Math.floor(layer / period) % 2 === 0;
          return firstKind === (first === 'bidirectional') ? bidirectional : causal;
        });
      },
    };
  },
});
