import { definePlugin, type Head } from '@lookright/core';
import { CrfHead } from './crf-head.js';

/** `head:crf`: linear emissions + a linear-chain CRF over words, with scheme-constrained Viterbi decoding. */
export const headCrf = definePlugin({
  id: 'head:crf',
  kind: 'head',
  summary: 'linear emissions + linear-chain CRF over words; Viterbi limited to the valid tag sequences of the scheme',
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      constrain: {
        type: 'boolean',
        default: true,
        description: 'forbid transitions the tag scheme does not allow (IOB2: O -> I-X, B-X -> I-Y, start -> I-X)',
      },
    },
  } as const,
  create(params): Head {
    return { type: 'crf', build: (spec) => new CrfHead(spec, params.constrain) };
  },
});
