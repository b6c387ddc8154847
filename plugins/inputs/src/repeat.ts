import { definePlugin, type InputTransform } from '@lookright/core';
import { inputErrors } from './errors.js';

const id = 'input:repeat';

/** Params of `input:repeat`; the params type is derived from this schema. */
export const repeatParams = {
  type: 'object',
  additionalProperties: false,
  properties: {
    /** Copies of the sentence; labels are read from the last one. */
    r: { type: 'integer', minimum: 2, maximum: 8, default: 2 },
    /** Token id put between two copies (none by default). */
    separator: { type: 'integer', minimum: 0 },
  },
} as const;

/**
 * Repeats the sentence body `r` times between the special tokens (`<s> w1..wn [sep] w1..wn </s>`) and reads each
 * word's label from its last copy, where even a causal layer has seen the whole sentence through the earlier
 * copies (TakeLab/repetition-sl, arXiv 2601.17585).
 */
export const repeatInput = definePlugin<InputTransform, typeof repeatParams>({
  id,
  kind: 'input',
  summary: 'repeat the sentence r times; labels from the last copy (sees the whole sentence even when causal)',
  paramsSchema: repeatParams,
  create({ r, separator }) {
    const sep = separator === undefined ? [] : [separator];
    return {
      label: separator === undefined ? `repeat:r${r}` : `repeat:r${r}+sep`,
      context: 'whole-sentence',
      expandedLength: (n, specials) => specials + r * (n - specials) + (r - 1) * sep.length,
      apply({ ids, positions, prefixLength, suffixLength }) {
        const end = ids.length - suffixLength;
        if (prefixLength + suffixLength > ids.length)
          throw inputErrors.specialsTooLong(id, prefixLength, suffixLength, ids.length);
        const body = ids.slice(prefixLength, end);
        const out = ids.slice(0, prefixLength);
        const sources = out.map((_, i) => i);
        for (let copy = 0; copy < r; copy++) {
          if (copy > 0) {
            out.push(...sep);
            sources.push(...sep.map(() => -1));
          }
          out.push(...body);
          sources.push(...body.map((_, k) => prefixLength + k));
        }
        const lastCopy = out.length - body.length;
        out.push(...ids.slice(end));
        sources.push(...ids.slice(end).map((_, k) => end + k));
        return {
          ids: out,
          sources,
          positions: positions.map((p) => {
            if (p < prefixLength || p >= end) throw inputErrors.labelOutsideSentence(id, p, end);
            return lastCopy + (p - prefixLength);
          }),
        };
      },
    };
  },
});
