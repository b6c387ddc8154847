/** One sentence after sub-word alignment, ready for batching. */
export interface EncodedSentence {
  /** Position of the sentence in its split, so predictions can be written back in order. */
  index: number;
  /** Token ids including special tokens, at most maxLength. */
  ids: number[];
  /** Token index of each labelled word's scored sub-word, in word order. */
  positions: number[];
  /** Label id of each entry of `positions`. */
  labels: number[];
  /** Word index (in the tagged sentence) of each entry of `positions`. */
  wordIndices: number[];
}

/** Sentences padded to the longest one in the batch (right padding). */
export interface TokenBatch {
  /** [batch][tokens] ids; padding uses `padId`. */
  ids: number[][];
  /** Real tokens per row; the rest is padding, which attention never sees. */
  lengths: number[];
  positions: number[][];
  labels: number[][];
  /** `EncodedSentence.index` of each row. */
  indices: number[];
  /** Columns of the padded batch (the longest row). */
  width: number;
}

/** Pads `sentences` to their longest member. */
export function padBatch(sentences: readonly EncodedSentence[], padId: number): TokenBatch {
  const width = Math.max(...sentences.map((s) => s.ids.length));
  return {
    ids: sentences.map((s) => [...s.ids, ...new Array<number>(width - s.ids.length).fill(padId)]),
    lengths: sentences.map((s) => s.ids.length),
    positions: sentences.map((s) => s.positions),
    labels: sentences.map((s) => s.labels),
    indices: sentences.map((s) => s.index),
    width,
  };
}

/** Share of padded cells among all cells of the given batches (0 = no padding). */
export function paddingFraction(batches: readonly TokenBatch[]): number {
  let cells = 0;
  let real = 0;
  for (const b of batches) {
    cells += b.width * b.ids.length;
    real += b.lengths.reduce((a, n) => a + n, 0);
  }
  return cells === 0 ? 0 : 1 - real / cells;
}
