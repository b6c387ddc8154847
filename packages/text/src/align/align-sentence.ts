import { textErrors } from '../errors.js';
import type { WordTokenizer } from './word-tokenizer.js';

/** Options of word -> sub-word alignment. */
export interface AlignOptions {
  /** Most positions per sentence, special tokens included (the paper: 128). */
  maxLength: number;
  /** Label every sub-word of a word instead of only the first (the rest get `ignoreIndex`). Default false. */
  labelAllSubwords?: boolean;
  /** Label of positions the loss ignores. Default -100. */
  ignoreIndex?: number;
}

/** One sentence as model input, with the map back to its words. */
export interface AlignedSentence {
  /** Sub-word ids, special tokens included; at most maxLength. */
  inputIds: number[];
  /** One label id per position; `ignoreIndex` on special tokens, on non-first sub-words (unless labelAllSubwords). */
  labels: number[];
  /** Word index of each position; -1 for special tokens. */
  wordIds: number[];
  /** Position of each word's first sub-word; -1 when truncation removed it or the word has no sub-word. */
  wordStarts: number[];
  /** Words whose first sub-word maxLength cut off. */
  truncatedWords: number;
  /** Labels (positions that would carry one) that maxLength cut off. */
  truncatedLabels: number;
  /** Words the tokenizer turned into no sub-word at all (e.g. only control characters under BERT). */
  emptyWords: number;
}

/**
 * Tokenizes one sentence word by word and labels it: the first sub-word of each word gets the word's label id
 * (or every sub-word, with labelAllSubwords), everything else `ignoreIndex`. Sub-words beyond maxLength (special
 * tokens kept) are cut, as transformers' truncation does; words that lose their first sub-word are counted.
 * Without `labelIds` every label is `ignoreIndex` (inference).
 */
export function alignSentence(
  tokenizer: WordTokenizer,
  words: readonly string[],
  labelIds: readonly number[] | undefined,
  options: AlignOptions,
): AlignedSentence {
  const ignore = options.ignoreIndex ?? -100;
  const { prefix, suffix } = tokenizer.specials;
  const budget = options.maxLength - prefix.length - suffix.length;
  if (budget <= 0) throw textErrors.maxLengthTooSmall(options.maxLength, prefix.length + suffix.length);

  const inputIds = [...prefix];
  const labels: number[] = prefix.map(() => ignore);
  const wordIds: number[] = prefix.map(() => -1);
  const wordStarts = new Array<number>(words.length).fill(-1);
  let truncatedWords = 0;
  let truncatedLabels = 0;
  let emptyWords = 0;

  tokenizer.encodeWords(words).forEach((ids, w) => {
    if (ids.length === 0) emptyWords++;
    ids.forEach((id, k) => {
      const labelled = labelIds !== undefined && (k === 0 || options.labelAllSubwords === true);
      if (inputIds.length - prefix.length >= budget) {
        if (k === 0) truncatedWords++;
        if (labelled) truncatedLabels++;
        return;
      }
      if (k === 0) wordStarts[w] = inputIds.length;
      inputIds.push(id);
      wordIds.push(w);
      labels.push(labelled ? labelIds[w] : ignore);
    });
  });
  inputIds.push(...suffix);
  labels.push(...suffix.map(() => ignore));
  wordIds.push(...suffix.map(() => -1));
  return { inputIds, labels, wordIds, wordStarts, truncatedWords, truncatedLabels, emptyWords };
}
