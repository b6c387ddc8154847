import { textErrors } from '../errors.js';

/**
 * Token accuracy over sentences (POS tagging's metric): tags equal as strings, over all tokens; 0 for no tokens.
 * Sentence lengths must match.
 */
export function tokenAccuracy(gold: readonly (readonly string[])[], pred: readonly (readonly string[])[]): number {
  if (gold.length !== pred.length) throw textErrors.lengthMismatch('sentences', gold.length, pred.length);
  let tokens = 0;
  let correct = 0;
  gold.forEach((sentence, i) => {
    if (sentence.length !== pred[i].length) {
      throw textErrors.lengthMismatch(`sentence #${i + 1}`, sentence.length, pred[i].length);
    }
    tokens += sentence.length;
    for (let t = 0; t < sentence.length; t++) if (sentence[t] === pred[i][t]) correct++;
  });
  return tokens === 0 ? 0 : correct / tokens;
}
