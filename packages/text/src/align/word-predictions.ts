import { textErrors } from '../errors.js';
import type { AlignedSentence } from './align-sentence.js';

/** Per-word predicted tags of one sentence, and how many words were filled with O. */
export interface WordTagPredictions {
  tags: string[];
  /** Words with no kept first sub-word (truncated or empty) whose prediction is O. */
  filledWithO: number;
}

/**
 * Maps per-position predictions (one label id per position of `aligned.inputIds`) back to words: each word takes
 * its first sub-word's prediction; a word truncated away (or with no sub-word) is predicted `outside` ('O'), so
 * every word of the sentence is scored and none is dropped from the gold.
 */
export function wordTagPredictions(
  aligned: AlignedSentence,
  positionLabelIds: readonly number[],
  labels: readonly string[],
  outside = 'O',
): WordTagPredictions {
  if (positionLabelIds.length !== aligned.inputIds.length) {
    throw textErrors.predictionCountMismatch(aligned.inputIds.length, positionLabelIds.length);
  }
  let filledWithO = 0;
  const tags = aligned.wordStarts.map((position) => {
    if (position < 0) {
      filledWithO++;
      return outside;
    }
    const tag = labels[positionLabelIds[position]];
    if (tag === undefined) throw textErrors.predictedLabelOutOfRange(labels.length, positionLabelIds[position]);
    return tag;
  });
  return { tags, filledWithO };
}

/** wordTagPredictions over a split; `filledWithO` is the total. */
export function splitWordTagPredictions(
  aligned: readonly AlignedSentence[],
  positionLabelIds: readonly (readonly number[])[],
  labels: readonly string[],
  outside = 'O',
): { tags: string[][]; filledWithO: number } {
  if (aligned.length !== positionLabelIds.length) {
    throw textErrors.predictionCountMismatch(aligned.length, positionLabelIds.length);
  }
  let filledWithO = 0;
  const tags = aligned.map((sentence, i) => {
    const one = wordTagPredictions(sentence, positionLabelIds[i], labels, outside);
    filledWithO += one.filledWithO;
    return one.tags;
  });
  return { tags, filledWithO };
}
