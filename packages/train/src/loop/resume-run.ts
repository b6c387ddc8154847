import { existsSync } from 'node:fs';
import type * as tf from '@tensorflow/tfjs-core';
import { type CheckpointState, readCheckpoint, writeCheckpoint } from '../checkpoint/checkpoint-file.js';
import { trainErrors } from '../errors.js';
import type { AdamW } from '../optim/adamw.js';
import type { SeededRng } from '../rng.js';
import type { RunFiles } from './run-files.js';
import { checkpointTensors, restoreFromTensors, type WeightSnapshot } from './trainable-state.js';

/** A fine-tuning run's progress: what a checkpoint holds, and the weights chosen on dev so far. */
export interface TrainingRun {
  state: CheckpointState;
  best: WeightSnapshot | null;
}

/** What starting or resuming a run needs. */
export interface RunStart {
  files: RunFiles;
  configHash: string;
  variables: readonly tf.Variable[];
  optimizer: AdamW;
  dropout: SeededRng;
  log: (line: string) => void;
}

/**
 * Resumes from the run folder's checkpoint (weights, moments, best weights, dropout stream, position) or starts at
 * step 0. Either way steps.jsonl is left holding exactly the steps before the first one to run: those up to the
 * checkpoint, or none on a fresh start (an attempt interrupted before its first checkpoint may have logged some).
 */
export function startOrResume(start: RunStart): TrainingRun {
  const { files, configHash, variables, optimizer, dropout } = start;
  let run: TrainingRun = {
    state: {
      step: 0,
      epoch: 0,
      batchInEpoch: 0,
      dropoutRng: dropout.getState(),
      bestDevF1: -1,
      bestEpoch: -1,
      epochsWithoutImprovement: 0,
      devHistory: [],
      configHash,
    },
    best: null,
  };
  if (existsSync(files.checkpoint)) {
    const saved = readCheckpoint(files.checkpoint);
    if (saved.state.configHash !== configHash)
      throw trainErrors.checkpointMismatch(files.checkpoint, 'its configuration hash differs from this cell');
    const restored = restoreFromTensors(variables, optimizer, saved.state.step, saved.tensors);
    if ('mismatch' in restored) throw trainErrors.checkpointMismatch(files.checkpoint, restored.mismatch);
    run = { state: saved.state, best: restored.best };
    dropout.setState(run.state.dropoutRng);
    start.log(
      `resumed from ${files.checkpoint} at step ${run.state.step} (epoch ${run.state.epoch + 1}, batch ${run.state.batchInEpoch})`,
    );
  }
  files.truncateStepsAfter(run.state.step);
  return run;
}

/** Records the position to continue from (next epoch and batch) and writes the checkpoint. */
export async function saveCheckpoint(
  start: RunStart,
  run: TrainingRun,
  epoch: number,
  batchInEpoch: number,
): Promise<void> {
  run.state = { ...run.state, epoch, batchInEpoch, dropoutRng: start.dropout.getState() };
  const tensors = await checkpointTensors(start.variables, start.optimizer, run.best);
  writeCheckpoint(start.files.checkpoint, { state: run.state, tensors });
}
