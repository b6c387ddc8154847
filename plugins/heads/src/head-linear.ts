import { definePlugin, type Head } from '@lookright/core';
import { LinearHead } from './linear-head.js';

/** `head:linear`: dropout (recipe.headDropout), then linear; cross-entropy ignoring -100; argmax decoding. */
export const headLinear = definePlugin({
  id: 'head:linear',
  kind: 'head',
  summary: 'dropout, then a linear layer per scored sub-word; cross-entropy ignoring -100; argmax decoding',
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} } as const,
  // a suite without a head axis uses this head
  isDefault: true,
  create(): Head {
    return { type: 'linear', build: (spec) => new LinearHead(spec) };
  },
});
