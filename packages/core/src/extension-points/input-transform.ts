/** Service id under which input-transform plugin descriptors are bound. */
export const InputTransform = Symbol.for('lookright.InputTransform');

/** One sentence as the tokenizer produced it: what an input transform receives. */
export interface TransformInput {
  /** Token ids including special tokens (e.g. `<s>`), as aligned and before any transform. */
  ids: readonly number[];
  /** Token index of each labelled word's scored sub-word, in word order (first sub-word labelling). */
  positions: readonly number[];
  /** Leading special tokens of `ids` (e.g. 1 for Llama's `<s>`, 1 for BERT's `[CLS]`). */
  prefixLength: number;
  /** Trailing special tokens of `ids` (e.g. 1 for BERT's `[SEP]`). */
  suffixLength: number;
}

/** What the model sees for one sentence, and where each word's label is read. */
export interface TransformedInput {
  /** The ids the model runs on (its attention mask covers all of them). */
  ids: number[];
  /**
   * For each entry of the input's `positions`, in the same order, the token index in `ids` whose hidden state
   * carries that word's label. Each word is read exactly once.
   */
  positions: number[];
  /**
   * For each token of `ids`, the index in the input's `ids` it is a copy of, or -1 for a token the transform
   * inserted (e.g. a separator). The input audit follows these to see which of the sentence's tokens each label
   * position can reach through the layers' masks.
   */
  sources: number[];
}

/**
 * What a transform promises each word's label position can see of the sentence's word tokens (special tokens
 * aside), checked by the input audit before training:
 * - `as-masked`: exactly what the masks let the word see in the untransformed sentence (identity);
 * - `whole-sentence`: every word token of the sentence, whatever the masks (repetition, read from the last copy).
 */
export type DeclaredContext = 'as-masked' | 'whole-sentence';

/**
 * Rewrites a sentence's token sequence before the backbone sees it, e.g. repeating the sentence so that every
 * token of the last copy has seen the whole sentence through the earlier copies even under a causal mask. Never
 * touches tensors; heads, metrics and prediction files read labels from the returned positions.
 */
export interface InputTransform {
  /** Short label for tables and MLflow tags, e.g. `identity` or `repeat:r2`. */
  readonly label: string;
  /** What each word's label position can see; a transform that shows more (a leak) or less is refused. */
  readonly context: DeclaredContext;
  /**
   * How many tokens the transform makes of an `n`-token sentence of which `specials` are special tokens (prefix
   * plus suffix). `maxLength` bounds this expanded length; cost estimates use it too.
   */
  expandedLength(n: number, specials: number): number;
  /** The sequence the model sees and the label position of each word. Pure: same input, same output. */
  apply(input: TransformInput): TransformedInput;
}
