import { LookrightError } from '@lookright/core';

/** Every error the input transforms raise, each naming the plugin and what to change. */
export const inputErrors = {
  labelOutsideSentence: (id: string, position: number, length: number) =>
    new LookrightError(
      'INPUT_LABEL_OUTSIDE_SENTENCE',
      `${id}: a label position ${position} lies outside the sentence body (${length} tokens before the suffix)`,
      'This is an alignment bug: label positions must point at word tokens between the special tokens.',
    ),
  specialsTooLong: (id: string, prefix: number, suffix: number, length: number) =>
    new LookrightError(
      'INPUT_BAD_SPECIALS',
      `${id}: prefix ${prefix} + suffix ${suffix} special tokens exceed the sentence's ${length} tokens`,
      'This is a tokenizer problem: check the post_processor of tokenizer.json.',
    ),
};
