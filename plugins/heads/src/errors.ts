import { LookrightError } from '@lookright/core';

/** Every error the head plugins raise on purpose: coded, naming the sentence and word, with what to do. */
export const headErrors = {
  invalidGoldPath: (sentence: number, step: number, labels: readonly string[], scheme: string) =>
    new LookrightError(
      'TRAIN_INVALID_GOLD_PATH',
      `head:crf: gold tags of batch sentence ${sentence} break the ${scheme} scheme at word ${step} (${labels.join(' ')})`,
      'The dataset must deliver tags in the scheme it declares (convert IOB1 to IOB2 on load), or set the head param constrain: false.',
    ),
  emptySentence: (sentence: number) =>
    new LookrightError(
      'TRAIN_EMPTY_SENTENCE',
      `batch sentence ${sentence} has no scored word (all its words were cut by maxLength or it is empty)`,
      'Raise recipe.maxLength or drop empty sentences from the dataset.',
    ),
};
