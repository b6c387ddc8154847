import { LookrightError } from '@lookright/core';

/** Every error `input:reverse-prefix` raises, each saying what to change. */
export const reversePrefixErrors = {
  labelOnSpecialToken: (position: number, prefix: number, end: number) =>
    new LookrightError(
      'INPUT_REVERSE_PREFIX_POSITION',
      `input:reverse-prefix: label position ${position} is not a word token (words lie at ${prefix} to ${end - 1})`,
      'Label positions come from the word alignment; this is a bug in the caller, not in the suite.',
    ),
};
