import { definePlugin, type MaskStrategy } from '@lookright/core';
import { maskErrors } from './errors.js';
import { checkLayerCount, specsWhere } from './layer-selection.js';

const id = 'mask:groups';

/** The group counts that split `numLayers` into equal contiguous groups, ascending. */
export function groupCountsFitting(numLayers: number): number[] {
  return Array.from({ length: numLayers }, (_, i) => i + 1).filter((g) => numLayers % g === 0);
}

/** Params of `mask:groups`; the params type is derived from this schema. */
export const groupsParams = {
  type: 'object',
  additionalProperties: false,
  required: ['pattern'],
  properties: {
    pattern: {
      type: 'string',
      pattern: '^[01]+$',
      description: 'one character per group, nearest the input first: 1 = bidirectional, 0 = causal',
    },
  },
} as const;

/**
 * The paper's notation: the layers split into G = pattern.length equal contiguous groups; character g says whether
 * group g (g = 0 nearest the input) is bidirectional ("1") or causal ("0"). A pattern as long as the layer count
 * sets each layer on its own.
 */
export const groupsMask = definePlugin<MaskStrategy, typeof groupsParams>({
  id,
  kind: 'mask',
  summary: 'layers split into G equal contiguous groups, one 0/1 per group from the input ("0101")',
  paramsSchema: groupsParams,
  // "0101" on a suite's mask axis, and {grid: {groups: G}}, stand for this plugin
  shorthands: { text: { match: '^[01]+$', param: 'pattern' }, grid: { param: 'pattern' } },
  create(params) {
    const pattern = params.pattern;
    if (typeof pattern !== 'string' || !/^[01]+$/.test(pattern)) throw maskErrors.badPattern(id, String(pattern));
    return {
      label: `groups:${pattern}`,
      layerSpecs(numLayers) {
        checkLayerCount(id, numLayers);
        const groups = pattern.length;
        if (numLayers % groups !== 0) {
          throw maskErrors.groupsIndivisible(id, pattern, numLayers, groupCountsFitting(numLayers));
        }
        const groupSize = numLayers / groups;
        return specsWhere(numLayers, (layer) => pattern[Math.floor(layer / groupSize)] === '1');
      },
    };
  },
});
