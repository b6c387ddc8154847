/** Gold, predicted and correct chunk counts, overall or for one type. */
export interface ChunkCounts {
  gold: number;
  predicted: number;
  correct: number;
}

/** Chunk counts overall and per type, plus token counts for accuracy. */
export interface CountTable {
  tokens: number;
  /** Tokens whose gold and predicted tags are the same string. */
  correctTags: number;
  overall: ChunkCounts;
  perType: Map<string, ChunkCounts>;
}

export function emptyCountTable(): CountTable {
  return { tokens: 0, correctTags: 0, overall: { gold: 0, predicted: 0, correct: 0 }, perType: new Map() };
}

/** Adds `n` to one field of a type's counts and of the overall counts. */
export function addCount(table: CountTable, type: string, field: keyof ChunkCounts, n = 1): void {
  let counts = table.perType.get(type);
  if (!counts) {
    counts = { gold: 0, predicted: 0, correct: 0 };
    table.perType.set(type, counts);
  }
  counts[field] += n;
  table.overall[field] += n;
}

/** Token counts for accuracy: tags equal as strings. */
export function addTokenCounts(table: CountTable, gold: readonly string[], pred: readonly string[]): void {
  table.tokens += gold.length;
  for (let i = 0; i < gold.length; i++) if (gold[i] === pred[i]) table.correctTags++;
}
