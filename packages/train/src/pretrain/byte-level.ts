/**
 * GPT-2's byte-level alphabet: every byte maps to one printable Unicode character, so any text is a sequence of
 * known symbols and a byte-level BPE never needs an unknown token. Printable Latin-1 bytes map to themselves, the
 * rest to U+0100 onwards, in byte order (the table @huggingface/tokenizers' ByteLevel pre-tokenizer uses).
 */
export const bytesToUnicode: readonly string[] = (() => {
  const keep = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  const table: string[] = [];
  let next = 0;
  for (let b = 0; b < 256; b++) table.push(String.fromCharCode(keep(b) ? b : 256 + next++));
  return table;
})();

/** GPT-2's pre-tokenisation: contractions, letter runs, digit runs, other runs, each with its leading space. */
export const GPT2_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

const encoder = new TextEncoder();

/** A pre-token (e.g. " Alice") as its byte-level symbols. */
export function toByteSymbols(piece: string): string[] {
  return Array.from(encoder.encode(piece), (b) => bytesToUnicode[b]);
}

/** Pre-tokens of a text with their counts. */
export function countPreTokens(text: string, counts = new Map<string, number>()): Map<string, number> {
  for (const match of text.matchAll(GPT2_SPLIT)) counts.set(match[0], (counts.get(match[0]) ?? 0) + 1);
  return counts;
}
