import type { PluginDescriptor } from '@lookright/core';
import { CrfHead, type HeadFactory } from '@lookright/train';

/** Params of `head:crf` (mirrors paramsSchema; written out because FromSchema recursed too deep on this schema). */
export interface CrfHeadParams {
  constrain?: boolean;
}

/** `head:crf`: linear emissions + a linear-chain CRF over words, with scheme-constrained Viterbi decoding. */
export const headCrf: PluginDescriptor<HeadFactory, CrfHeadParams> = {
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
  },
  create(params) {
    const constrained = params.constrain ?? true;
    return { type: 'crf', build: (spec) => new CrfHead(spec, constrained) };
  },
};
