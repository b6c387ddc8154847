import '@lookright/engine/stock-gradients';
import type { Recipe, TaggedCorpus, TaggedSentence } from '@lookright/core';
import type { MetricsReport } from '@lookright/text';
import type { EncodedSentence } from '../batching/encoded-sentence.js';
import { paddingFraction } from '../batching/encoded-sentence.js';
import { bucketedTrainBatches } from '../batching/length-buckets.js';
import { trainErrors } from '../errors.js';
import type { TokenHead } from '../heads/token-head.js';
import { AdamW } from '../optim/adamw.js';
import { warmupStepsFor } from '../optim/schedule.js';
import { rngStreams, SeededRng } from '../rng.js';
import { type SplitEvaluation, writeConllevalFile } from './evaluate-split.js';
import { type ProgressFactory, plainProgress } from './progress.js';
import { type RunStart, saveCheckpoint, startOrResume } from './resume-run.js';
import type { RunFiles } from './run-files.js';
import { splitScorer } from './score-split.js';
import { selectOnDev } from './select-on-dev.js';
import type { SequenceEncoder } from './sequence-encoder.js';
import { trainEpoch } from './train-epoch.js';
import { TrainerStep } from './train-step.js';
import { restoreWeights } from './trainable-state.js';

/** A labelled split, encoded for the model and kept as words for scoring. */
export interface PreparedSplit {
  encoded: EncodedSentence[];
  sentences: TaggedSentence[];
}

/** Everything the fine-tuning loop needs, already resolved. */
export interface FineTuneInput {
  encoder: SequenceEncoder;
  head: TokenHead;
  train: EncodedSentence[];
  dev: PreparedSplit;
  /** Touched once, after training, with the weights chosen on dev. */
  test: PreparedSplit | null;
  labels: string[];
  scheme: TaggedCorpus['scheme'];
  recipe: Recipe;
  seed: number;
  files: RunFiles;
  configHash: string;
  checkpointEvery: number | null;
  log: (line: string) => void;
  /** Shows progress (default: plain lines through `log`). */
  progress?: ProgressFactory;
  /** Called after each optimiser step (e.g. a tracker). */
  onStep?: (step: number, metrics: Record<string, number>) => void;
  /** Checked before every batch and evaluation; when it returns true the run stops with TRAIN_CANCELLED. */
  isCancelled?: () => boolean;
}

/** What a finished fine-tuning run reports. */
export interface FineTuneResult {
  steps: number;
  totalSteps: number;
  resumedFromStep: number;
  bestEpoch: number;
  devF1History: number[];
  stoppedEarly: boolean;
  /** Dev and test metrics of the weights chosen on dev. */
  dev: MetricsReport;
  test: MetricsReport | null;
  truncatedWords: { dev: number; test: number | null };
  paddingFraction: number;
  trainTokens: number;
  trainSeconds: number;
}

/** The shuffle stream of one epoch, derived from the seed so a resumed run rebuilds the same batches. */
function epochRng(seed: number, epoch: number): SeededRng {
  const base = rngStreams(seed).shuffle.nextUint32();
  return new SeededRng((base + Math.imul(epoch + 1, 0x9e3779b9)) >>> 0);
}

/** Optimiser steps of the run: epochs × steps per epoch (after accumulation), capped by maxSteps. */
function totalStepsOf(trainSentences: number, recipe: Recipe): number {
  const batchesPerEpoch = Math.ceil(trainSentences / recipe.batchSize);
  const stepsPerEpoch = Math.ceil(batchesPerEpoch / recipe.gradientAccumulation);
  return Math.min(recipe.epochs * stepsPerEpoch, recipe.maxSteps ?? Number.POSITIVE_INFINITY);
}

/**
 * Fine-tunes encoder adapters and head: AdamW with schedule, clipping and accumulation over length-bucketed batches;
 * dev evaluation each epoch drives model selection and early stopping; test is scored once at the end. Resumes from
 * the run folder's checkpoint when one exists. The parts: startOrResume, trainEpoch, selectOnDev, and the final
 * scoring of the weights chosen on dev.
 */
export async function fineTune(input: FineTuneInput): Promise<FineTuneResult> {
  const { recipe, files, encoder, head } = input;
  const variables = [...encoder.trainableVariables(), ...head.variables()];
  const optimizer = new AdamW(variables, {
    betas: recipe.betas as [number, number],
    eps: recipe.eps,
    weightDecay: recipe.weightDecay,
  });
  const totalSteps = totalStepsOf(input.train.length, recipe);
  const schedule = {
    kind: recipe.schedule,
    baseRate: recipe.learningRate,
    totalSteps,
    warmupSteps: warmupStepsFor(recipe.warmupRatio, totalSteps),
  };
  const start: RunStart = {
    files,
    configHash: input.configHash,
    variables,
    optimizer,
    dropout: rngStreams(input.seed).dropout,
    log: input.log,
  };
  const run = startOrResume(start);
  const resumedFromStep = run.state.step;
  const stopIfCancelled = () => {
    if (input.isCancelled?.()) throw trainErrors.cancelled(run.state.step);
  };
  const scorer = { encoder, head, labels: input.labels, scheme: input.scheme, batchSize: recipe.batchSize };
  const evaluateDev = splitScorer(scorer, input.dev);
  const progress = (input.progress ?? ((options) => plainProgress(options)))({
    totalSteps,
    startStep: run.state.step,
    every: recipe.logEvery,
    log: input.log,
  });
  const trainer = {
    step: new TrainerStep({ encoder, head, variables, optimizer, dropout: start.dropout, clipNorm: recipe.clipNorm }),
    schedule,
    accumulation: recipe.gradientAccumulation,
    files,
    progress,
    checkpointEvery: input.checkpointEvery,
    readEvery: recipe.logEvery,
    run,
    save: (epoch: number, batchInEpoch: number) => saveCheckpoint(start, run, epoch, batchInEpoch),
    stopIfCancelled,
    onStep: input.onStep,
  };
  const totals = { padding: 0, epochs: 0, tokens: 0, seconds: 0 };
  let stoppedEarly = false;
  try {
    for (let epoch = run.state.epoch; epoch < recipe.epochs && run.state.step < totalSteps && !stoppedEarly; epoch++) {
      const batches = bucketedTrainBatches(input.train, recipe.batchSize, encoder.padId, epochRng(input.seed, epoch));
      totals.padding += paddingFraction(batches);
      totals.epochs += 1;
      const first = epoch === run.state.epoch ? run.state.batchInEpoch : 0;
      const trained = await trainEpoch(trainer, epoch, batches, first);
      totals.tokens += trained.tokens;
      totals.seconds += trained.seconds;
      stopIfCancelled();
      const dev = await evaluateDev();
      const selected = await selectOnDev(run, dev, input.scheme, epoch, variables, recipe.earlyStoppingPatience);
      const best = selected.improved ? ' (best so far)' : '';
      progress.note(`epoch ${epoch + 1} dev F1 ${(selected.score * 100).toFixed(2)}${best}`);
      if (selected.stop) {
        stoppedEarly = true;
        progress.note(`early stopping: dev F1 has not improved for ${recipe.earlyStoppingPatience} epoch(s)`);
      }
      await trainer.save(epoch + 1, 0);
    }
  } finally {
    progress.stop();
    trainer.step.dispose();
  }

  if (run.best) restoreWeights(variables, run.best);
  const dev = await evaluateDev();
  writeConllevalFile(files.predictions('dev'), dev);
  let test: SplitEvaluation | null = null;
  if (input.test) {
    test = await splitScorer(scorer, input.test)();
    writeConllevalFile(files.predictions('test'), test);
  }
  optimizer.dispose();
  return {
    steps: run.state.step,
    totalSteps,
    resumedFromStep,
    bestEpoch: run.state.bestEpoch,
    devF1History: run.state.devHistory,
    stoppedEarly,
    dev: dev.report,
    test: test?.report ?? null,
    truncatedWords: { dev: dev.truncatedWords, test: test?.truncatedWords ?? null },
    paddingFraction: totals.epochs ? totals.padding / totals.epochs : 0,
    trainTokens: totals.tokens,
    trainSeconds: totals.seconds,
  };
}
