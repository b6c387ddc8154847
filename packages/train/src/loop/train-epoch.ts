import * as tf from '@tensorflow/tfjs-core';
import type { TokenBatch } from '../batching/encoded-sentence.js';
import { trainErrors } from '../errors.js';
import type { TokenHead } from '../heads/token-head.js';
import type { AdamW } from '../optim/adamw.js';
import type { GradientAccumulator } from '../optim/gradient-accumulator.js';
import { optimiserStep } from '../optim/optimiser-step.js';
import { type LearningRateSchedule, learningRateAt } from '../optim/schedule.js';
import type { SeededRng } from '../rng.js';
import type { ProgressReporter } from './progress.js';
import type { TrainingRun } from './resume-run.js';
import type { RunFiles } from './run-files.js';
import type { SequenceEncoder } from './sequence-encoder.js';
import { microBatchGradients } from './train-step.js';

/** Everything one epoch of fine-tuning reads or advances. */
export interface EpochTrainer {
  encoder: SequenceEncoder;
  head: TokenHead;
  variables: readonly tf.Variable[];
  optimizer: AdamW;
  accumulator: GradientAccumulator;
  dropout: SeededRng;
  schedule: LearningRateSchedule;
  accumulation: number;
  clipNorm: number | null;
  files: RunFiles;
  progress: ProgressReporter;
  checkpointEvery: number | null;
  run: TrainingRun;
  save(epoch: number, batchInEpoch: number): void;
  /** Throws when the run was cancelled; called before every micro-batch. */
  stopIfCancelled(): void;
  onStep?: (step: number, metrics: Record<string, number>) => void;
}

/**
 * Trains on `batches[first..]` of one epoch until the epoch ends or `schedule.totalSteps` is reached: gradients
 * are accumulated over `accumulation` micro-batches (fewer at the epoch's end), each optimiser step is logged to
 * steps.jsonl, progress and `onStep`, and a checkpoint is written every `checkpointEvery` steps inside the epoch.
 * Returns the tokens trained on and the seconds the steps took.
 */
export function trainEpoch(
  t: EpochTrainer,
  epoch: number,
  batches: readonly TokenBatch[],
  first: number,
): { tokens: number; seconds: number } {
  const { run } = t;
  let trainTokens = 0;
  let trainSeconds = 0;
  let losses: number[] = [];
  let stepTokens = 0;
  let stepStart = performance.now();
  for (let b = first; b < batches.length && run.state.step < t.schedule.totalSteps; b++) {
    t.stopIfCancelled();
    const micro = microBatchGradients(t.encoder, t.head, batches[b], t.variables, t.dropout);
    if (!Number.isFinite(micro.loss)) {
      tf.dispose(micro.grads);
      throw trainErrors.nonFiniteLoss(run.state.step + 1, micro.loss);
    }
    t.accumulator.add(micro.grads);
    tf.dispose(micro.grads);
    losses.push(micro.loss);
    stepTokens += micro.tokens;
    if (t.accumulator.size < t.accumulation && b < batches.length - 1) continue;
    const lr = learningRateAt(t.schedule, run.state.step);
    const gradNorm = optimiserStep(t.optimizer, t.accumulator.take(), t.clipNorm, lr);
    run.state.step += 1;
    const seconds = (performance.now() - stepStart) / 1000;
    const loss = losses.reduce((a, x) => a + x, 0) / losses.length;
    const record = { step: run.state.step, loss, lr, gradNorm, tokens: stepTokens, seconds };
    t.files.appendStep(record);
    t.onStep?.(run.state.step, record);
    t.progress.update({ step: run.state.step, loss, learningRate: lr, tokensPerSecond: stepTokens / seconds });
    trainTokens += stepTokens;
    trainSeconds += seconds;
    losses = [];
    stepTokens = 0;
    if (t.checkpointEvery && run.state.step % t.checkpointEvery === 0 && b < batches.length - 1) t.save(epoch, b + 1);
    stepStart = performance.now();
  }
  return { tokens: trainTokens, seconds: trainSeconds };
}
