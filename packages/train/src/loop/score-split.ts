import type { TaggedCorpus } from '@lookright/core';
import { sortedEvalBatches } from '../batching/length-buckets.js';
import type { TokenHead } from '../heads/token-head.js';
import { evaluateSplit, type SplitEvaluation } from './evaluate-split.js';
import type { PreparedSplit } from './fine-tune.js';
import { predictLabels } from './predict.js';
import type { SequenceEncoder } from './sequence-encoder.js';

/** The model and label set a split is scored with. */
export interface SplitScorer {
  encoder: SequenceEncoder;
  head: TokenHead;
  labels: string[];
  scheme: TaggedCorpus['scheme'];
  batchSize: number;
}

/**
 * Scores a split with the current weights; its length-sorted batches are built once, so scoring the same split
 * again (dev after every epoch) reuses them.
 */
export function splitScorer(scorer: SplitScorer, split: PreparedSplit): () => Promise<SplitEvaluation> {
  const batches = sortedEvalBatches(split.encoded, scorer.batchSize, scorer.encoder.padId);
  return async () =>
    evaluateSplit(
      split.sentences,
      split.encoded,
      await predictLabels(scorer.encoder, scorer.head, batches),
      scorer.labels,
      scorer.scheme,
    );
}
