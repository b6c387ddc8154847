import '@lookright/engine/stock-gradients';
import { existsSync } from 'node:fs';
import type { Recipe, TaggedCorpus, TaggedSentence } from '@lookright/core';
import type { MetricsReport } from '@lookright/text';
import * as tf from '@tensorflow/tfjs-core';
import type { EncodedSentence } from '../batching/encoded-sentence.js';
import { paddingFraction } from '../batching/encoded-sentence.js';
import { bucketedTrainBatches, sortedEvalBatches } from '../batching/length-buckets.js';
import { type CheckpointState, readCheckpoint, writeCheckpoint } from '../checkpoint/checkpoint-file.js';
import { trainErrors } from '../errors.js';
import type { TokenHead } from '../heads/token-head.js';
import { AdamW } from '../optim/adamw.js';
import { clipByGlobalNorm } from '../optim/clip-global-norm.js';
import { GradientAccumulator } from '../optim/gradient-accumulator.js';
import { learningRateAt, warmupStepsFor } from '../optim/schedule.js';
import { rngStreams, SeededRng } from '../rng.js';
import { evaluateSplit, type SplitEvaluation, writeConllevalFile } from './evaluate-split.js';
import { predictLabels } from './predict.js';
import { type ProgressFactory, plainProgress } from './progress.js';
import type { RunFiles } from './run-files.js';
import type { SequenceEncoder } from './sequence-encoder.js';
import { microBatchGradients } from './train-step.js';
import {
  checkpointTensors,
  restoreFromTensors,
  restoreWeights,
  snapshotWeights,
  type WeightSnapshot,
} from './trainable-state.js';

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

/**
 * Fine-tunes encoder adapters and head: AdamW with schedule, clipping and accumulation over length-bucketed batches;
 * dev evaluation each epoch drives model selection and early stopping; test is scored once at the end. Resumes from
 * the run folder's checkpoint when one exists.
 */
export async function fineTune(input: FineTuneInput): Promise<FineTuneResult> {
  const { recipe, files, encoder, head } = input;
  const variables = [...encoder.trainableVariables(), ...head.variables()];
  const optimizer = new AdamW(variables, {
    betas: recipe.betas as [number, number],
    eps: recipe.eps,
    weightDecay: recipe.weightDecay,
  });
  const accumulation = recipe.gradientAccumulation;
  const batchesPerEpoch = Math.ceil(input.train.length / recipe.batchSize);
  const stepsPerEpoch = Math.ceil(batchesPerEpoch / accumulation);
  const totalSteps = Math.min(recipe.epochs * stepsPerEpoch, recipe.maxSteps ?? Number.POSITIVE_INFINITY);
  const schedule = {
    kind: recipe.schedule,
    baseRate: recipe.learningRate,
    totalSteps,
    warmupSteps: warmupStepsFor(recipe.warmupRatio, totalSteps),
  };
  const dropout = rngStreams(input.seed).dropout;
  let state: CheckpointState = {
    step: 0,
    epoch: 0,
    batchInEpoch: 0,
    dropoutRng: dropout.getState(),
    bestDevF1: -1,
    bestEpoch: -1,
    epochsWithoutImprovement: 0,
    devHistory: [],
    configHash: input.configHash,
  };
  let best: WeightSnapshot | null = null;
  if (existsSync(files.checkpoint)) {
    const saved = readCheckpoint(files.checkpoint);
    if (saved.state.configHash !== input.configHash)
      throw trainErrors.checkpointMismatch(files.checkpoint, 'its configuration hash differs from this cell');
    const restored = restoreFromTensors(variables, optimizer, saved.state.step, saved.tensors);
    if ('mismatch' in restored) throw trainErrors.checkpointMismatch(files.checkpoint, restored.mismatch);
    best = restored.best;
    state = saved.state;
    dropout.setState(state.dropoutRng);
    files.truncateStepsAfter(state.step);
    input.log(
      `resumed from ${files.checkpoint} at step ${state.step} (epoch ${state.epoch + 1}, batch ${state.batchInEpoch})`,
    );
  }
  const resumedFromStep = state.step;
  const save = (epoch: number, batchInEpoch: number) => {
    state = { ...state, epoch, batchInEpoch, dropoutRng: dropout.getState() };
    writeCheckpoint(files.checkpoint, { state, tensors: checkpointTensors(variables, optimizer, best) });
  };

  const devBatches = sortedEvalBatches(input.dev.encoded, recipe.batchSize, encoder.padId);
  const evaluateDev = (): SplitEvaluation =>
    evaluateSplit(
      input.dev.sentences,
      input.dev.encoded,
      predictLabels(encoder, head, devBatches),
      input.labels,
      input.scheme,
    );

  const progress = (input.progress ?? ((options) => plainProgress(options)))({
    totalSteps,
    startStep: state.step,
    every: recipe.logEvery,
    log: input.log,
  });
  const accumulator = new GradientAccumulator();
  let paddingSum = 0;
  let paddingEpochs = 0;
  let trainTokens = 0;
  let trainSeconds = 0;
  let stoppedEarly = false;
  try {
    for (let epoch = state.epoch; epoch < recipe.epochs && state.step < totalSteps && !stoppedEarly; epoch++) {
      const batches = bucketedTrainBatches(input.train, recipe.batchSize, encoder.padId, epochRng(input.seed, epoch));
      paddingSum += paddingFraction(batches);
      paddingEpochs += 1;
      const first = epoch === state.epoch ? state.batchInEpoch : 0;
      let losses: number[] = [];
      let stepTokens = 0;
      let stepStart = performance.now();
      for (let b = first; b < batches.length && state.step < totalSteps; b++) {
        const micro = microBatchGradients(encoder, head, batches[b], variables, dropout);
        if (!Number.isFinite(micro.loss)) {
          tf.dispose(micro.grads);
          throw trainErrors.nonFiniteLoss(state.step + 1, micro.loss);
        }
        accumulator.add(micro.grads);
        tf.dispose(micro.grads);
        losses.push(micro.loss);
        stepTokens += micro.tokens;
        if (accumulator.size < accumulation && b < batches.length - 1) continue;
        const mean = accumulator.take();
        const clipped = clipByGlobalNorm(mean, recipe.clipNorm);
        tf.dispose(mean);
        const lr = learningRateAt(schedule, state.step);
        optimizer.apply(clipped.grads, lr);
        tf.dispose(clipped.grads);
        state.step += 1;
        const seconds = (performance.now() - stepStart) / 1000;
        const loss = losses.reduce((a, x) => a + x, 0) / losses.length;
        const record = { step: state.step, loss, lr, gradNorm: clipped.norm, tokens: stepTokens, seconds };
        files.appendStep(record);
        input.onStep?.(state.step, record);
        progress.update({ step: state.step, loss, learningRate: lr, tokensPerSecond: stepTokens / seconds });
        trainTokens += stepTokens;
        trainSeconds += seconds;
        losses = [];
        stepTokens = 0;
        if (input.checkpointEvery && state.step % input.checkpointEvery === 0 && b < batches.length - 1)
          save(epoch, b + 1);
        stepStart = performance.now();
      }
      const dev = evaluateDev();
      const f1 = input.scheme === 'none' ? dev.report.accuracy : dev.report.f1;
      state.devHistory = [...state.devHistory, f1];
      const improved = f1 > state.bestDevF1;
      if (improved) {
        best = snapshotWeights(variables);
        state = { ...state, bestDevF1: f1, bestEpoch: epoch, epochsWithoutImprovement: 0 };
      } else state = { ...state, epochsWithoutImprovement: state.epochsWithoutImprovement + 1 };
      progress.note(`epoch ${epoch + 1} dev F1 ${(f1 * 100).toFixed(2)}${improved ? ' (best so far)' : ''}`);
      const patience = recipe.earlyStoppingPatience;
      if (patience !== null && state.epochsWithoutImprovement >= patience) {
        stoppedEarly = true;
        progress.note(`early stopping: dev F1 has not improved for ${patience} epoch(s)`);
      }
      save(epoch + 1, 0);
    }
  } finally {
    progress.stop();
    accumulator.dispose();
  }

  if (best) restoreWeights(variables, best);
  const dev = evaluateDev();
  writeConllevalFile(files.predictions('dev'), dev);
  let test: SplitEvaluation | null = null;
  if (input.test) {
    const testBatches = sortedEvalBatches(input.test.encoded, recipe.batchSize, encoder.padId);
    test = evaluateSplit(
      input.test.sentences,
      input.test.encoded,
      predictLabels(encoder, head, testBatches),
      input.labels,
      input.scheme,
    );
    writeConllevalFile(files.predictions('test'), test);
  }
  optimizer.dispose();
  return {
    steps: state.step,
    totalSteps,
    resumedFromStep,
    bestEpoch: state.bestEpoch,
    devF1History: state.devHistory,
    stoppedEarly,
    dev: dev.report,
    test: test?.report ?? null,
    truncatedWords: { dev: dev.truncatedWords, test: test?.truncatedWords ?? null },
    paddingFraction: paddingEpochs ? paddingSum / paddingEpochs : 0,
    trainTokens,
    trainSeconds,
  };
}
