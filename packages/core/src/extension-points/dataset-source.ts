/** Service id under which dataset plugin descriptors are bound. */
export const DatasetSource = Symbol.for('lookright.DatasetSource');

/** One sentence: words and one tag per word. */
export interface TaggedSentence {
  words: string[];
  tags: string[];
  /** `file:line` of the sentence's first word, for error messages. */
  origin?: string;
}

export type SplitName = 'train' | 'dev' | 'test';

/** A labelled corpus: splits of tagged sentences plus the label set. */
export interface TaggedCorpus {
  name: string;
  /** Tag scheme of `tags` after loading (datasets convert IOB1 to IOB2). `none` for POS-like tags. */
  scheme: 'iob2' | 'iob1' | 'bioes' | 'none';
  labels: string[];
  splits: Partial<Record<SplitName, TaggedSentence[]>>;
  /** Files read with their sha256, so a cell's hash changes when the data does. */
  files: { path: string; sha256: string }[];
  /** Problems reported but not fatal (e.g. upstream placeholders), for logs. */
  warnings: string[];
}

/** A source of a labelled corpus. */
export interface DatasetSource {
  load(): Promise<TaggedCorpus>;
}
