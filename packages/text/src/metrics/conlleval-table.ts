import { perlPercent } from './perl-printf.js';
import type { MetricsReport } from './scores.js';

/**
 * conlleval.pl's percentages for one row: 100·correct/found, 100·correct/gold, and FB1 computed on those
 * percentages, each 0 where undefined, in the script's float64 order of operations.
 */
function conllevalPercents(correct: number, predicted: number, gold: number): [number, number, number] {
  const precision = predicted > 0 ? (100 * correct) / predicted : 0;
  const recall = gold > 0 ? (100 * correct) / gold : 0;
  const fb1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return [precision, recall, fb1];
}

/**
 * The report as conlleval.pl prints it, byte for byte for the conlleval scorer. The number at the end of a type
 * line is that type's count of predicted chunks (conlleval's meaning), not the gold support.
 */
export function formatConllevalTable(report: MetricsReport): string {
  const c = report.counts;
  let out = `processed ${c.tokens} tokens with ${c.gold} phrases; found: ${c.predicted} phrases; correct: ${c.correct}.\n`;
  if (c.tokens > 0) {
    const [p, r, f] = conllevalPercents(c.correct, c.predicted, c.gold);
    const accuracy = (100 * c.correct_tags) / c.tokens;
    out += `accuracy: ${perlPercent(accuracy)}%; precision: ${perlPercent(p)}%; recall: ${perlPercent(r)}%; FB1: ${perlPercent(f)}\n`;
  }
  for (const [type, t] of Object.entries(report.per_type)) {
    const [p, r, f] = conllevalPercents(t.correct, t.predicted, t.support);
    out += `${type.padStart(17, ' ')}: precision: ${perlPercent(p)}%; recall: ${perlPercent(r)}%; FB1: ${perlPercent(f)}  ${t.predicted}\n`;
  }
  return out;
}
