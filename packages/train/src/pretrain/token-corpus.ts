import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tokenizer } from '@huggingface/tokenizers';
import type { SeededRng } from '../rng.js';

/** The names of the plain-text files pre-training reads from a corpus folder: `*.txt` except README files, in name order. */
export function corpusTextFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt') && !f.toLowerCase().startsWith('readme'))
    .sort();
}

/** The plain-text files of a corpus folder (corpusTextFiles), cut at `maxChars` in all. */
export function readTextFolder(dir: string, maxChars: number): { file: string; text: string }[] {
  const files = corpusTextFiles(dir);
  const out: { file: string; text: string }[] = [];
  let left = maxChars;
  for (const file of files) {
    if (left <= 0) break;
    const text = readFileSync(join(dir, file), 'utf8').slice(0, left);
    left -= text.length;
    out.push({ file, text });
  }
  return out;
}

/** Token ids of the texts, each text followed by `separatorId`; encoded paragraph by paragraph. */
export function encodeTexts(tokenizer: Tokenizer, texts: readonly string[], separatorId: number): Int32Array {
  const ids: number[] = [];
  for (const text of texts) {
    for (const paragraph of text.split(/(?<=\n\n)/)) {
      for (const id of tokenizer.encode(paragraph, { add_special_tokens: false }).ids) ids.push(id);
    }
    ids.push(separatorId);
  }
  return Int32Array.from(ids);
}

/** `batch` windows of `length` tokens starting at seeded random offsets. */
export function randomWindows(tokens: Int32Array, batch: number, length: number, rng: SeededRng): number[][] {
  return Array.from({ length: batch }, () => {
    const start = rng.nextInt(tokens.length - length);
    return Array.from(tokens.subarray(start, start + length));
  });
}

/** Consecutive, non-overlapping windows (for a deterministic validation loss). */
export function consecutiveWindows(tokens: Int32Array, length: number, count: number): number[][] {
  const out: number[][] = [];
  for (let start = 0; start + length <= tokens.length && out.length < count; start += length)
    out.push(Array.from(tokens.subarray(start, start + length)));
  return out;
}
