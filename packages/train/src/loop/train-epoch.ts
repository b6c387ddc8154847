import * as tf from '@tensorflow/tfjs-core';
import type { TokenBatch } from '../batching/encoded-sentence.js';
import { type LearningRateSchedule, learningRateAt } from '../optim/schedule.js';
import type { ProgressReporter } from './progress.js';
import type { TrainingRun } from './resume-run.js';
import type { RunFiles } from './run-files.js';
import { StepReadback } from './step-readback.js';
import type { TrainerStep } from './train-step.js';

/** Everything one epoch of fine-tuning reads or advances. */
export interface EpochTrainer {
  /** Forward/backward of micro-batches and the optimiser update. */
  step: TrainerStep;
  schedule: LearningRateSchedule;
  accumulation: number;
  files: RunFiles;
  progress: ProgressReporter;
  checkpointEvery: number | null;
  /** Losses and gradient norms are read back from the device (and checked for NaN/Inf) every this many steps. */
  readEvery: number;
  run: TrainingRun;
  save(epoch: number, batchInEpoch: number): Promise<void>;
  /** Throws when the run was cancelled; called before every micro-batch. */
  stopIfCancelled(): void;
  onStep?: (step: number, metrics: Record<string, number>) => void;
}

/**
 * Trains on `batches[first..]` of one epoch until the epoch ends or `schedule.totalSteps` is reached: gradients
 * are accumulated over `accumulation` micro-batches (fewer at the epoch's end), and a checkpoint is written every
 * `checkpointEvery` steps inside the epoch. Losses and gradient norms stay on the device; every `readEvery` steps,
 * before a checkpoint and at the end they are read back in one transfer, checked (a NaN or infinite value stops
 * the run) and each step is logged to steps.jsonl, progress and `onStep`. Returns the tokens trained on and the
 * seconds the steps took.
 */
export async function trainEpoch(
  t: EpochTrainer,
  epoch: number,
  batches: readonly TokenBatch[],
  first: number,
): Promise<{ tokens: number; seconds: number }> {
  const { run } = t;
  const readback = new StepReadback();
  let trainTokens = 0;
  let trainSeconds = 0;
  const report = async () => {
    for (const record of await readback.take()) {
      t.files.appendStep({ ...record });
      t.onStep?.(record.step, { ...record });
      const tokensPerSecond = record.tokens / record.seconds;
      t.progress.update({ step: record.step, loss: record.loss, learningRate: record.lr, tokensPerSecond });
      trainTokens += record.tokens;
      trainSeconds += record.seconds;
    }
  };
  let losses: tf.Scalar[] = [];
  let stepTokens = 0;
  let stepStart = performance.now();
  try {
    for (let b = first; b < batches.length && run.state.step < t.schedule.totalSteps; b++) {
      await stopIfCancelled(t, report);
      const micro = t.step.addMicroBatch(batches[b]);
      losses.push(micro.loss);
      stepTokens += micro.tokens;
      if (t.step.pending < t.accumulation && b < batches.length - 1) continue;
      const lr = learningRateAt(t.schedule, run.state.step);
      const gradNorm = t.step.update(lr);
      run.state.step += 1;
      const seconds = (performance.now() - stepStart) / 1000;
      readback.push({ step: run.state.step, losses, gradNorm, lr, tokens: stepTokens, seconds });
      losses = [];
      stepTokens = 0;
      const save = t.checkpointEvery && run.state.step % t.checkpointEvery === 0 && b < batches.length - 1;
      if (save || readback.size >= t.readEvery) await report();
      if (save) await t.save(epoch, b + 1);
      stepStart = performance.now();
    }
    await report();
  } finally {
    tf.dispose(losses);
    readback.dispose();
  }
  return { tokens: trainTokens, seconds: trainSeconds };
}

/** Logs the steps not yet read back before a cancellation stops the run, so steps.jsonl ends where the run did. */
async function stopIfCancelled(t: EpochTrainer, report: () => Promise<void>): Promise<void> {
  try {
    t.stopIfCancelled();
  } catch (error) {
    await report();
    throw error;
  }
}
