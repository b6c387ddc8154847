import { specialAddedToken } from './added-token.js';

/** The special tokens of a word-level tokenizer: padding first (id 0, the trainer's pad id), then unknown. */
export const WORD_LEVEL_SPECIALS = ['[PAD]', '[UNK]'] as const;

/** The distinct words of the sentences, sorted by code unit so the same data always gives the same ids. */
export function wordVocabulary(sentences: Iterable<{ readonly words: readonly string[] }>): string[] {
  const words = new Set<string>();
  for (const s of sentences) for (const w of s.words) words.add(w);
  return [...words].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A tokenizer.json with one id per whole word: [PAD] 0, [UNK] 1, then `words` in order. @huggingface/tokenizers (JS)
 * has no WordLevel model, so it is written as a WordPiece model with no continuation pieces, which maps a known word
 * to its id and any other word to [UNK]; WhitespaceSplit keeps punctuation inside words; no normalizer (case
 * kept) and no post-processor (no sentence specials). The fields follow the Rust library's tokenizer.json layout;
 * only @huggingface/tokenizers (JS) has been checked to read it here.
 */
export function wordLevelTokenizerJson(words: readonly string[]): Record<string, unknown> {
  // a Map, so that words such as "constructor" or "__proto__" get ids like any other
  const ids = new Map<string, number>();
  for (const token of [...WORD_LEVEL_SPECIALS, ...words]) if (!ids.has(token)) ids.set(token, ids.size);
  const vocab = Object.fromEntries(ids);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: WORD_LEVEL_SPECIALS.map((content, id) => specialAddedToken(id, content)),
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: false },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}
