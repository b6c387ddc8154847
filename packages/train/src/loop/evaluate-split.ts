import { writeFileSync } from 'node:fs';
import type { TaggedCorpus, TaggedSentence } from '@lookright/core';
import { evaluateTags, type MetricsReport } from '@lookright/text';
import type { EncodedSentence } from '../batching/encoded-sentence.js';

/** Span metrics of one split plus the tagged sentences they were computed from. */
export interface SplitEvaluation {
  report: MetricsReport;
  /** Words with no scored position (cut by maxLength, or no sub-word) are predicted `O`; counted here. */
  truncatedWords: number;
  sentences: { words: string[]; gold: string[]; pred: string[] }[];
}

/**
 * Scores predictions (label ids per scored position of `encoded`, by sentence index) against gold tags with seqeval's strict mode for the
 * corpus scheme (the paper's metric), or conlleval's reading for scheme `none`.
 */
export function evaluateSplit(
  sentences: readonly TaggedSentence[],
  encoded: readonly EncodedSentence[],
  predicted: ReadonlyMap<number, readonly number[]>,
  labels: readonly string[],
  scheme: TaggedCorpus['scheme'],
): SplitEvaluation {
  let truncatedWords = 0;
  const tagged = sentences.map((s, index) => {
    const ids = predicted.get(index) ?? [];
    truncatedWords += s.words.length - ids.length;
    const pred = s.words.map(() => 'O');
    ids.forEach((id, k) => {
      pred[encoded[index].wordIndices[k]] = labels[id];
    });
    return { words: s.words, gold: s.tags, pred };
  });
  const report =
    scheme === 'none' ? evaluateTags(tagged, { mode: 'conlleval' }) : evaluateTags(tagged, { mode: 'strict', scheme });
  return { report, truncatedWords, sentences: tagged };
}

/** Writes `word gold predicted` lines, a blank line between sentences: the input conlleval.pl reads. */
export function writeConllevalFile(file: string, evaluation: SplitEvaluation): void {
  const lines: string[] = [];
  for (const s of evaluation.sentences) {
    s.words.forEach((word, i) => {
      lines.push(`${word} ${s.gold[i]} ${s.pred[i]}`);
    });
    lines.push('');
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}
