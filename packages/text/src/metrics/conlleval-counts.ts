import { addCount, addTokenCounts, type CountTable, emptyCountTable } from './chunk-counts.js';

/** Gold and predicted tags of sentences, the input every scorer takes. */
export interface TagPairs {
  gold: readonly string[];
  pred: readonly string[];
}

interface ConllevalTag {
  prefix: string;
  type: string;
}

/** conlleval splits a tag at its first `-`; a tag with no `-` has type "". */
function split(tag: string): ConllevalTag {
  const dash = tag.indexOf('-');
  return dash < 0 ? { prefix: tag, type: '' } : { prefix: tag.slice(0, dash), type: tag.slice(dash + 1) };
}

const OUTSIDE: ConllevalTag = { prefix: 'O', type: '' };

/** conlleval.pl's endOfChunk (2004-01-26), including its IOE rules and its lack of S- rules. */
function endOfChunk(prev: ConllevalTag, cur: ConllevalTag): boolean {
  const pair = `${prev.prefix}${cur.prefix}`;
  if (['BB', 'BO', 'IB', 'IO', 'EE', 'EI', 'EO'].includes(pair)) return true;
  if (prev.prefix !== 'O' && prev.prefix !== '.' && prev.type !== cur.type) return true;
  return prev.prefix === ']' || prev.prefix === '[';
}

/** conlleval.pl's startOfChunk. */
function startOfChunk(prev: ConllevalTag, cur: ConllevalTag): boolean {
  const pair = `${prev.prefix}${cur.prefix}`;
  if (['BB', 'IB', 'OB', 'OI', 'EE', 'EI', 'OE'].includes(pair)) return true;
  if (cur.prefix !== 'O' && cur.prefix !== '.' && prev.type !== cur.type) return true;
  return cur.prefix === '[' || cur.prefix === ']';
}

/**
 * Counts chunks exactly as conlleval.pl does: one pass over the token stream with a sentence break (tags O O)
 * after every sentence, a chunk counted correct when gold and prediction start it together with one type and end it
 * together. This is a port of the script's state machine, not a span-set comparison, so its quirks (no chunk end at
 * `E-X B-X`) stay.
 */
export function conllevalCounts(sentences: Iterable<TagPairs>): CountTable {
  const table = emptyCountTable();
  let lastGold = OUTSIDE;
  let lastPred = OUTSIDE;
  let inCorrect = false;

  const step = (gold: ConllevalTag, pred: ConllevalTag): void => {
    const goldEnds = endOfChunk(lastGold, gold);
    const predEnds = endOfChunk(lastPred, pred);
    if (inCorrect) {
      if (goldEnds && predEnds && lastPred.type === lastGold.type) {
        inCorrect = false;
        addCount(table, lastGold.type, 'correct');
      } else if (goldEnds !== predEnds || pred.type !== gold.type) {
        inCorrect = false;
      }
    }
    const goldStarts = startOfChunk(lastGold, gold);
    const predStarts = startOfChunk(lastPred, pred);
    if (goldStarts && predStarts && pred.type === gold.type) inCorrect = true;
    if (goldStarts) addCount(table, gold.type, 'gold');
    if (predStarts) addCount(table, pred.type, 'predicted');
    lastGold = gold;
    lastPred = pred;
  };

  for (const sentence of sentences) {
    for (let i = 0; i < sentence.gold.length; i++) step(split(sentence.gold[i]), split(sentence.pred[i]));
    addTokenCounts(table, sentence.gold, sentence.pred);
    step(OUTSIDE, OUTSIDE);
  }
  if (inCorrect) addCount(table, lastGold.type, 'correct');
  return table;
}
