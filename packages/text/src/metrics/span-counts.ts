import type { Span } from '../tags/spans.js';
import { addCount, addTokenCounts, type CountTable, emptyCountTable } from './chunk-counts.js';
import type { TagPairs } from './conlleval-counts.js';

/** Extracts the chunks of one sentence's tags; `side` and `sentence` are for error messages. */
export type SpanExtractor = (tags: readonly string[], sentence: number, side: 'gold' | 'pred') => Span[];

const key = (span: Span): string => `${span.type}\u0000${span.start}\u0000${span.end}`;

/**
 * Counts chunks as seqeval does: gold and predicted chunks are sets of (type, start, end) per sentence, a predicted
 * chunk is correct when the same triple is in the gold set.
 */
export function spanSetCounts(sentences: Iterable<TagPairs>, extract: SpanExtractor): CountTable {
  const table = emptyCountTable();
  let index = 0;
  for (const sentence of sentences) {
    const gold = extract(sentence.gold, index, 'gold');
    const pred = extract(sentence.pred, index, 'pred');
    const goldKeys = new Set(gold.map(key));
    for (const span of gold) addCount(table, span.type, 'gold');
    for (const span of pred) {
      addCount(table, span.type, 'predicted');
      if (goldKeys.has(key(span))) addCount(table, span.type, 'correct');
    }
    addTokenCounts(table, sentence.gold, sentence.pred);
    index++;
  }
  return table;
}
