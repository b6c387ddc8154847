import type { InputTransform, TaggedSentence } from '@lookright/core';
import { alignSplit, type TruncationReport, type WordTokenizer } from '@lookright/text';
import type { EncodedSentence } from '../batching/encoded-sentence.js';
import { trainErrors } from '../errors.js';

/** A split encoded for training or evaluation, with what maxLength cut. */
export interface EncodedSplit {
  sentences: EncodedSentence[];
  report: TruncationReport;
  /** The most tokens one sentence may have before the input transform (= maxLength without one). */
  alignLength: number;
}

/**
 * The longest tokenized sentence (specials included) whose transformed sequence still fits `maxLength`: maxLength
 * bounds what the model sees, so an r-fold repetition leaves each copy about maxLength / r tokens.
 */
export function alignLengthFor(transform: InputTransform, maxLength: number, specials: number): number {
  for (let n = maxLength; n > specials; n--) if (transform.expandedLength(n, specials) <= maxLength) return n;
  throw trainErrors.maxLengthTooSmallForInput(transform.label, maxLength);
}

/**
 * Aligns a split with @lookright/text (first sub-word of each word labelled, the paper's recipe) and keeps, per
 * sentence, the token position and word index of every scored word. Words cut by maxLength or with no sub-word
 * get no position; evaluation scores them as `O` and the report counts them. With an input transform the ids and
 * positions are the transformed ones (each word still read once), and maxLength bounds the transformed sequence.
 */
export function encodeSplit(
  tokenizer: WordTokenizer,
  sentences: readonly TaggedSentence[],
  labels: readonly string[],
  maxLength: number,
  transform?: InputTransform,
): EncodedSplit {
  const { prefix, suffix } = tokenizer.specials;
  const specials = prefix.length + suffix.length;
  const alignLength = transform ? alignLengthFor(transform, maxLength, specials) : maxLength;
  const aligned = alignSplit(tokenizer, sentences, labels, { maxLength: alignLength });
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
    if (!transform) return { index, ids: s.inputIds, positions, labels: wordLabels, wordIndices };
    const out = transform.apply({
      ids: s.inputIds,
      positions,
      prefixLength: prefix.length,
      suffixLength: suffix.length,
    });
    if (out.positions.length !== positions.length || out.ids.length > maxLength)
      throw trainErrors.inputTransformBroken(transform.label, positions.length, out.positions.length, out.ids.length);
    return { index, ids: out.ids, positions: out.positions, labels: wordLabels, wordIndices };
  });
  return { sentences: encoded, report: aligned.report, alignLength };
}
