import { bytesToUnicode, toByteSymbols } from './byte-level.js';

/** A trained byte-level BPE: symbol -> id (bytes first, then merges in order) and the merges. */
export interface BpeModel {
  vocab: Map<string, number>;
  merges: [string, string][];
}

/**
 * Learns `vocabSize - 256 - specials` merges from pre-token counts, merging the most frequent adjacent pair each
 * round (ties broken by the pair's text, so training is deterministic). Pair counts are updated incrementally: only
 * the words holding the merged pair are revisited.
 */
export function trainBpe(preTokens: ReadonlyMap<string, number>, merges: number): BpeModel {
  const words = [...preTokens]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([piece, count]) => ({ symbols: toByteSymbols(piece), count }));
  const pairCounts = new Map<string, number>();
  const where = new Map<string, Set<number>>();
  const key = (a: string, b: string) => `${a}\u0000${b}`;
  const addPairs = (w: number, sign: 1 | -1) => {
    const { symbols, count } = words[w];
    for (let i = 0; i + 1 < symbols.length; i++) {
      const k = key(symbols[i], symbols[i + 1]);
      pairCounts.set(k, (pairCounts.get(k) ?? 0) + sign * count);
      if (sign > 0) {
        const set = where.get(k) ?? new Set<number>();
        set.add(w);
        where.set(k, set);
      }
    }
  };
  for (let w = 0; w < words.length; w++) addPairs(w, 1);
  const vocab = new Map(bytesToUnicode.map((s, i) => [s, i]));
  const learned: [string, string][] = [];
  for (let m = 0; m < merges; m++) {
    let best = '';
    let bestCount = 0;
    for (const [k, c] of pairCounts)
      if (c > bestCount || (c === bestCount && c > 0 && k < best)) [best, bestCount] = [k, c];
    if (bestCount < 2) break;
    const [a, b] = best.split('\u0000') as [string, string];
    const merged = a + b;
    learned.push([a, b]);
    vocab.set(merged, vocab.size);
    for (const w of where.get(best) ?? []) {
      addPairs(w, -1);
      const s = words[w].symbols;
      const out: string[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
          out.push(merged);
          i++;
        } else out.push(s[i]);
      }
      words[w].symbols = out;
      addPairs(w, 1);
    }
    where.delete(best);
    pairCounts.delete(best);
  }
  return { vocab, merges: learned };
}
