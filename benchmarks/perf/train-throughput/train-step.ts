import { type LayerMaskSpec, SeededRng } from '@lookright/core';
import type { DecoderConfig } from '@lookright/engine';
import { LinearHead } from '@lookright/plugin-heads';
import { AdamW, modelEncoder, type TokenBatch, TrainerStep, trainableVariables } from '@lookright/train';
import { BATCH, type BenchMode, LABELS, LORA, SEQ, STEP, VOCAB } from './bench-config.js';
import { randomDecoder } from './random-decoder.js';

/** One benchmark training setup: the trainer's own step over a random decoder, a linear head and fixed data. */
export interface TrainSetup {
  /** The trainer's step: forward + cross-entropy + backward + clipping + AdamW; returns the loss. */
  step(): number;
  /** Trainable parameter count. */
  trainableParams: number;
  /** The parts, for a test that runs the trainer's epoch loop over the same model. */
  readonly trainer: TrainerStep;
  /** The one batch every step trains on. */
  readonly batch: TokenBatch;
  dispose(): void;
}

function seededInts(n: number, max: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % max;
  });
}

/** BATCH rows of SEQ random ids, every token labelled (the loss covers all BATCH × SEQ tokens). */
export function benchBatch(): TokenBatch {
  const ids = seededInts(BATCH * SEQ, VOCAB, 3);
  const labels = seededInts(BATCH * SEQ, LABELS, 5);
  const rows = Array.from({ length: BATCH }, (_, r) => r);
  const columns = Array.from({ length: SEQ }, (_, c) => c);
  return {
    ids: rows.map((r) => ids.slice(r * SEQ, (r + 1) * SEQ)),
    lengths: rows.map(() => SEQ),
    positions: rows.map(() => columns),
    labels: rows.map((r) => labels.slice(r * SEQ, (r + 1) * SEQ)),
    indices: rows,
    width: SEQ,
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
  const batch = benchBatch();
  return {
    trainer,
    batch,
    trainableParams: variables.reduce((n, v) => n + v.size, 0),
    step() {
      const { loss } = trainer.addMicroBatch(batch);
      trainer.update(STEP.lr).dispose();
      const value = loss.dataSync()[0];
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
