import type { TaggedCorpus } from '@lookright/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { SplitEvaluation } from './evaluate-split.js';
import type { TrainingRun } from './resume-run.js';
import { snapshotWeights } from './trainable-state.js';

/**
 * Model selection after an epoch: records the epoch's dev score (F1, or accuracy for scheme `none`), keeps a copy
 * of the weights when it beats the best so far, and counts epochs without improvement against `patience` (null:
 * never stop early). Returns the score, whether it improved, and whether training should stop.
 */
export async function selectOnDev(
  run: TrainingRun,
  dev: SplitEvaluation,
  scheme: TaggedCorpus['scheme'],
  epoch: number,
  variables: readonly tf.Variable[],
  patience: number | null,
): Promise<{ score: number; improved: boolean; stop: boolean }> {
  const score = scheme === 'none' ? dev.report.accuracy : dev.report.f1;
  run.state.devHistory = [...run.state.devHistory, score];
  const improved = score > run.state.bestDevF1;
  if (improved) {
    run.best = await snapshotWeights(variables);
    run.state = { ...run.state, bestDevF1: score, bestEpoch: epoch, epochsWithoutImprovement: 0 };
  } else run.state = { ...run.state, epochsWithoutImprovement: run.state.epochsWithoutImprovement + 1 };
  const stop = patience !== null && run.state.epochsWithoutImprovement >= patience;
  return { score, improved, stop };
}
