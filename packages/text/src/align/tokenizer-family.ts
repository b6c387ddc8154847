import { textErrors } from '../errors.js';
import { flattenComponents, type TokenizerJson } from './tokenizer-json.js';

/**
 * How a tokenizer marks the start of a word, which decides how one word is encoded on its own:
 * - `sentencepiece`: a `▁` is prepended to the text (Metaspace or a Prepend normalizer);
 * - `byte-level`: GPT-2 style, `Ġ` stands for a leading space;
 * - `wordpiece`: `##` marks continuations.
 */
export type TokenizerFamily = 'sentencepiece' | 'byte-level' | 'wordpiece';

/**
 * How each word is encoded alone so the ids equal those of the space-joined sentence:
 * - `bare`: every word as it is (SentencePiece that prepends `▁` itself, byte-level with add_prefix_space,
 *   WordPiece);
 * - `space-after-first`: the first word bare, later words as `" " + word` (byte-level without
 *   add_prefix_space, Metaspace with prepend_scheme `never`).
 */
export type WordEncoding = 'bare' | 'space-after-first';

export interface FamilyInfo {
  family: TokenizerFamily;
  wordEncoding: WordEncoding;
}

const SPIECE_UNDERLINE = '\u2581';

/** Detects the tokenizer family from tokenizer.json; `path` names the file in errors. */
export function detectTokenizerFamily(json: TokenizerJson, path: string): FamilyInfo {
  const pre = flattenComponents(json.pre_tokenizer);
  const byteLevel = pre.find((c) => c.type === 'ByteLevel');
  if (byteLevel) {
    return { family: 'byte-level', wordEncoding: byteLevel.add_prefix_space === true ? 'bare' : 'space-after-first' };
  }
  if (json.model.type === 'WordPiece') return { family: 'wordpiece', wordEncoding: 'bare' };
  const metaspace = pre.find((c) => c.type === 'Metaspace');
  if (metaspace) {
    const never = metaspace.prepend_scheme === 'never' || metaspace.add_prefix_space === false;
    return { family: 'sentencepiece', wordEncoding: never ? 'space-after-first' : 'bare' };
  }
  const prepends = flattenComponents(json.normalizer).some(
    (c) => c.type === 'Prepend' && c.prepend === SPIECE_UNDERLINE,
  );
  if (prepends) return { family: 'sentencepiece', wordEncoding: 'bare' };
  const found = `model ${json.model.type ?? '?'}, pre-tokenizers [${pre.map((c) => c.type).join(', ')}]`;
  throw textErrors.tokenizerUnsupported(path, found);
}
