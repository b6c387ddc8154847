import { specialAddedToken } from '@lookright/text';
import type { BpeModel } from './train-bpe.js';

/** Special tokens of the pre-trained models (ids right after the BPE vocabulary). */
export const SPECIAL_TOKENS = ['<|endoftext|>', '<pad>', '<mask>'] as const;

/**
 * A tokenizer.json for a byte-level BPE, in the layout @huggingface/tokenizers (Rust and JS) reads: ByteLevel
 * pre-tokenizer without prefix space, BPE model, ByteLevel decoder, special tokens as added tokens. No post-processor:
 * sentences get no BOS/EOS, which keeps the word-by-word alignment rule for byte-level BPE (DESIGN.md).
 */
export function byteLevelTokenizerJson(model: BpeModel): Record<string, unknown> {
  const vocab: Record<string, number> = Object.fromEntries(model.vocab);
  const added = SPECIAL_TOKENS.map((content, i) => {
    vocab[content] = model.vocab.size + i;
    return specialAddedToken(model.vocab.size + i, content);
  });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: model.merges.map(([a, b]) => [a, b]),
    },
  };
}

/** The id of a special token in a tokenizer built by byteLevelTokenizerJson. */
export function specialTokenId(model: BpeModel, token: (typeof SPECIAL_TOKENS)[number]): number {
  return model.vocab.size + SPECIAL_TOKENS.indexOf(token);
}
