import { type LayerMaskSpec, SeededRng } from '@lookright/core';
import type { DecoderConfig, DecoderModel } from '@lookright/engine';
import { LinearHead } from '@lookright/plugin-heads';
import { AdamW, modelEncoder, type TokenBatch, TrainerStep, trainableVariables } from '@lookright/train';
import type { Variable } from '@tensorflow/tfjs-core';
import { BATCH, type BenchMode, LABELS, LORA, SEQ, STEP, VOCAB } from './bench-config.js';
import { randomDecoder } from './random-decoder.js';

/** One benchmark training setup: the trainer's own step over a random decoder, a linear head and fixed data. */
export interface TrainSetup {
  /** The trainer's step: forward + cross-entropy + backward + clipping + AdamW; returns the loss. */
  step(): number;
  /** The same step, reading the loss back asynchronously (webgpu has no synchronous read in Node). */
  stepAsync(): Promise<number>;
  /** Trainable parameter count. */
  trainableParams: number;
  /** The parts, for a test that runs the trainer's epoch loop over the same model. */
  readonly trainer: TrainerStep;
  /** The one batch every step trains on. */
  readonly batch: TokenBatch;
  dispose(): void;
}

/** n pseudo-random ints in [0, max), an LCG seeded with `seed`: the same data on every backend. */
function seededInts(n: number, max: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % max;
  });
}

/** `batch` rows of `seq` random ids, every token labelled (the loss covers all batch × seq tokens). */
export function benchBatch(batch = BATCH, seq = SEQ, vocab = VOCAB): TokenBatch {
  const ids = seededInts(batch * seq, vocab, 3);
  const labels = seededInts(batch * seq, LABELS, 5);
  const rows = Array.from({ length: batch }, (_, r) => r);
  const columns = Array.from({ length: seq }, (_, c) => c);
  return {
    ids: rows.map((r) => ids.slice(r * seq, (r + 1) * seq)),
    lengths: rows.map(() => seq),
    positions: rows.map(() => columns),
    labels: rows.map((r) => labels.slice(r * seq, (r + 1) * seq)),
    indices: rows,
    width: seq,
  };
}

/**
 * The model, LoRA (attached as the trainer attaches it), head and optimiser a fine-tuning run builds, stepped by
 * the trainer's TrainerStep: the code path of runCell's loop, with the benchmark's random weights and data.
 */
export function makeTrainSetup(cfg: DecoderConfig, mode: BenchMode, seed = 1): TrainSetup {
  const model = randomDecoder(cfg, seed);
  const init = new SeededRng(seed);
  const trainable = trainableVariables(model, mode === 'lora' ? LORA : false, init);
  return trainSetupOver(model, trainable, benchBatch(), init, seed);
}

/**
 * The trainer's step over a model already made trainable (`trainable`: its LoRA adapters or every weight), a
 * linear head and AdamW as a fine-tuning run builds them, training on `batch` every step. `init` is the
 * initialisation stream that made `trainable` (the head's weights come next from it), `seed` the run's seed.
 */
export function trainSetupOver(
  model: DecoderModel,
  trainable: Variable[],
  batch: TokenBatch,
  init: SeededRng,
  seed: number,
): TrainSetup {
  const cfg = model.config;
  const specs: LayerMaskSpec[] = Array.from({ length: cfg.numLayers }, () => ({ kind: 'causal' }) as const);
  const encoder = modelEncoder(model, specs, trainable);
  const labelNames = Array.from({ length: LABELS }, (_, i) => `L${i}`);
  const head = new LinearHead({
    hiddenSize: cfg.hiddenSize,
    labels: labelNames,
    scheme: 'iob2',
    dropout: STEP.headDropout,
    rng: init,
  });
  const variables = [...encoder.trainableVariables(), ...head.variables()];
  const optimizer = new AdamW(variables, { betas: STEP.betas, eps: STEP.eps, weightDecay: STEP.weightDecay });
  const trainer = new TrainerStep({
    encoder,
    head,
    variables,
    optimizer,
    dropout: new SeededRng(seed + 1),
    clipNorm: STEP.clipNorm,
  });
  const lossOfStep = () => {
    const { loss } = trainer.addMicroBatch(batch);
    trainer.update(STEP.lr).dispose();
    return loss;
  };
  return {
    trainer,
    batch,
    trainableParams: variables.reduce((n, v) => n + v.size, 0),
    step() {
      const loss = lossOfStep();
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    },
    async stepAsync() {
      const loss = lossOfStep();
      const value = (await loss.data())[0];
      loss.dispose();
      return value;
    },
    dispose() {
      trainer.dispose();
      optimizer.dispose();
      head.dispose();
      encoder.dispose();
    },
  };
}
