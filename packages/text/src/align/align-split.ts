import type { TaggedSentence } from '@lookright/core';
import { textErrors } from '../errors.js';
import { type AlignedSentence, type AlignOptions, alignSentence } from './align-sentence.js';
import type { WordTokenizer } from './word-tokenizer.js';

/** What alignment of one split lost to maxLength, for the run log. */
export interface TruncationReport {
  sentences: number;
  words: number;
  /** Sentences with at least one truncated word. */
  truncatedSentences: number;
  truncatedWords: number;
  truncatedLabels: number;
  /** Words with no sub-word at all; like truncated words they are predicted O at evaluation. */
  emptyWords: number;
}

/** A split aligned for training or evaluation. */
export interface AlignedSplit {
  sentences: AlignedSentence[];
  report: TruncationReport;
}

/**
 * Aligns every sentence of a split. `labels` is the label set (index = label id); a tag outside it is a typed
 * error naming the sentence's origin.
 */
export function alignSplit(
  tokenizer: WordTokenizer,
  sentences: readonly TaggedSentence[],
  labels: readonly string[],
  options: AlignOptions,
): AlignedSplit {
  const labelId = new Map(labels.map((label, i) => [label, i]));
  const report: TruncationReport = {
    sentences: 0,
    words: 0,
    truncatedSentences: 0,
    truncatedWords: 0,
    truncatedLabels: 0,
    emptyWords: 0,
  };
  const aligned = sentences.map((sentence, s) => {
    const ids = sentence.tags.map((tag, w) => {
      const id = labelId.get(tag);
      if (id === undefined) {
        throw textErrors.unknownLabel(tag, `${sentence.origin ?? `sentence #${s + 1}`} word ${w + 1}`, labels);
      }
      return id;
    });
    const one = alignSentence(tokenizer, sentence.words, ids, options);
    report.sentences++;
    report.words += sentence.words.length;
    if (one.truncatedWords > 0) report.truncatedSentences++;
    report.truncatedWords += one.truncatedWords;
    report.truncatedLabels += one.truncatedLabels;
    report.emptyWords += one.emptyWords;
    return one;
  });
  return { sentences: aligned, report };
}
