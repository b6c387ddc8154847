import type { TaggedSentence } from '@lookright/core';
import { alignSplit, type TruncationReport, type WordTokenizer } from '@lookright/text';
import type { EncodedSentence } from '../batching/encoded-sentence.js';

/** A split encoded for training or evaluation, with what maxLength cut. */
export interface EncodedSplit {
  sentences: EncodedSentence[];
  report: TruncationReport;
}

/**
 * Aligns a split with @lookright/text (first sub-word of each word labelled, the paper's recipe) and keeps, per
 * sentence, the token position and word index of every scored word. Words cut by maxLength or with no sub-word
 * get no position; evaluation scores them as `O` and the report counts them.
 */
export function encodeSplit(
  tokenizer: WordTokenizer,
  sentences: readonly TaggedSentence[],
  labels: readonly string[],
  maxLength: number,
): EncodedSplit {
  const aligned = alignSplit(tokenizer, sentences, labels, { maxLength });
  const encoded = aligned.sentences.map((s, index) => {
    const positions: number[] = [];
    const wordLabels: number[] = [];
    const wordIndices: number[] = [];
    s.wordStarts.forEach((position, word) => {
      if (position < 0) return;
      positions.push(position);
      wordLabels.push(s.labels[position]);
      wordIndices.push(word);
    });
    return { index, ids: s.inputIds, positions, labels: wordLabels, wordIndices };
  });
  return { sentences: encoded, report: aligned.report };
}
