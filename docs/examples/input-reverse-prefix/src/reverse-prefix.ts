import { definePlugin, type InputTransform } from '@lookright/core';
import { reversePrefixErrors } from './errors.js';

/** Params of `input:reverse-prefix`: none. */
export const reversePrefixParams = { type: 'object', additionalProperties: false, properties: {} } as const;

/**
 * `<s> wn .. w1 w1 .. wn </s>`: the sentence reversed, then the sentence, labels read from the forward copy. Under a
 * causal mask every word of the forward copy has seen the whole sentence (backwards) before it.
 */
export const reversePrefixInput = definePlugin<InputTransform, typeof reversePrefixParams>({
  id: 'input:reverse-prefix',
  kind: 'input',
  summary: 'the sentence reversed, then the sentence; labels from the forward copy',
  paramsSchema: reversePrefixParams,
  create() {
    return {
      label: 'reverse-prefix',
      context: 'whole-sentence',
      expandedLength: (n, specials) => specials + 2 * (n - specials),
      apply({ ids, positions, prefixLength, suffixLength }) {
        const end = ids.length - suffixLength;
        const body = ids.slice(prefixLength, end);
        const forwardStart = prefixLength + body.length;
        const prefix = ids.slice(0, prefixLength).map((_, i) => i);
        const forward = body.map((_, k) => prefixLength + k);
        const suffix = ids.slice(end).map((_, k) => end + k);
        return {
          ids: [...ids.slice(0, prefixLength), ...[...body].reverse(), ...body, ...ids.slice(end)],
          sources: [...prefix, ...[...forward].reverse(), ...forward, ...suffix],
          positions: positions.map((p) => {
            if (p < prefixLength || p >= end) throw reversePrefixErrors.labelOnSpecialToken(p, prefixLength, end);
            return forwardStart + (p - prefixLength);
          }),
        };
      },
    };
  },
});
