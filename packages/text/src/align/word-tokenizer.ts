import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { textErrors } from '../errors.js';
import { type SentenceSpecials, sentenceSpecials, specialsFromConfig } from './special-tokens.js';
import { detectTokenizerFamily, type FamilyInfo } from './tokenizer-family.js';
import type { TokenizerJson } from './tokenizer-json.js';

/**
 * A model's tokenizer that encodes words one at a time, giving the same ids as encoding the space-joined
 * sentence (which @huggingface/tokenizers does without offsets or word ids). Special tokens are added once per
 * sentence: from tokenizer_config.json's add_bos_token/add_eos_token for Llama-family classes (as transformers
 * does), else from tokenizer.json's post_processor. Word encodings are cached.
 */
export class WordTokenizer {
  readonly family: FamilyInfo;
  readonly specials: SentenceSpecials;
  private readonly cache = new Map<string, number[]>();

  constructor(
    readonly tokenizer: Tokenizer,
    json: TokenizerJson,
    /** Where the tokenizer came from, for error messages. */
    readonly source: string,
    config: Record<string, unknown> = {},
  ) {
    this.family = detectTokenizerFamily(json, source);
    this.specials =
      specialsFromConfig(config, (token) => tokenizer.token_to_id(token), source) ?? sentenceSpecials(json, source);
  }

  /** Sub-word ids of word `index` of a sentence, without special tokens. */
  encodeWord(word: string, index: number): number[] {
    const text = this.family.wordEncoding === 'space-after-first' && index > 0 ? ` ${word}` : word;
    const cached = this.cache.get(text);
    if (cached) return cached;
    const ids = this.tokenizer.encode(text, { add_special_tokens: false }).ids;
    this.cache.set(text, ids);
    return ids;
  }

  /** Sub-word ids of every word of a sentence, without special tokens. */
  encodeWords(words: readonly string[]): number[][] {
    return words.map((word, i) => this.encodeWord(word, i));
  }

  /** The ids of the whole space-joined sentence with special tokens, as the library encodes it (reference). */
  encodeJoined(words: readonly string[]): number[] {
    return this.tokenizer.encode(words.join(' '), { add_special_tokens: true }).ids;
  }

  /** The sub-word string of an id (for display and tests). */
  token(id: number): string | undefined {
    return this.tokenizer.id_to_token(id);
  }
}

function readJson(path: string, required: boolean): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw textErrors.tokenizerMissing(path, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw textErrors.tokenizerInvalid(path, `not JSON (${(error as Error).message})`);
  }
}

/**
 * A WordTokenizer from an already parsed tokenizer.json (and tokenizer_config.json) object; `source` names it in
 * errors.
 */
export function wordTokenizerFromJson(
  json: Record<string, unknown>,
  config: Record<string, unknown>,
  source: string,
): WordTokenizer {
  if (typeof json.model !== 'object' || json.model === null) {
    throw textErrors.tokenizerInvalid(source, 'no "model" object');
  }
  detectTokenizerFamily(json as unknown as TokenizerJson, source); // unsupported families fail before loading
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(json, config);
  } catch (error) {
    throw textErrors.tokenizerInvalid(source, `@huggingface/tokenizers refused it: ${(error as Error).message}`);
  }
  return new WordTokenizer(tokenizer, json as unknown as TokenizerJson, source, config);
}

/** Reads tokenizer.json (required) and tokenizer_config.json (optional) of a model folder as objects. */
export function readTokenizerFiles(modelDir: string): {
  json: Record<string, unknown>;
  config: Record<string, unknown>;
} {
  return {
    json: readJson(join(modelDir, 'tokenizer.json'), true)!,
    config: readJson(join(modelDir, 'tokenizer_config.json'), false) ?? {},
  };
}

/** Loads `<modelDir>/tokenizer.json` (and tokenizer_config.json when present) as a WordTokenizer. */
export function loadWordTokenizer(modelDir: string): WordTokenizer {
  const { json, config } = readTokenizerFiles(modelDir);
  return wordTokenizerFromJson(json, config, join(modelDir, 'tokenizer.json'));
}
