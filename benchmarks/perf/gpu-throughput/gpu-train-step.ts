import '@lookright/engine/stock-gradients';
import { SeededRng } from '@lookright/core';
import { packFrozenWeights, type WeightStorage } from '@lookright/engine';
import { trainableVariables } from '@lookright/train';
import { LORA } from '../train-throughput/bench-config.js';
import { randomDecoder } from '../train-throughput/random-decoder.js';
import { benchBatch, trainSetupOver } from '../train-throughput/train-step.js';
import type { GpuBenchConfig } from './gpu-bench-configs.js';

/** A LoRA training setup on the GPU: every read back is asynchronous (webgpu has no synchronous read in Node). */
export interface GpuTrainSetup {
  /** The trainer's step (forward, cross-entropy, backward, clipping, AdamW), waiting for the loss to come back. */
  step(): Promise<number>;
  trainableParams: number;
  dispose(): void;
}

/**
 * The benchmark decoder of `c` (seeded random weights, LoRA r=64 on q and v) stepped by the trainer's own step
 * (linear head over 9 labels, clipping, AdamW), as the CPU benchmark does. With `weights` bf16 or f16 the frozen
 * projection weights are held in 16 bits.
 */
export async function makeGpuTrainSetup(c: GpuBenchConfig, weights: WeightStorage): Promise<GpuTrainSetup> {
  const model = randomDecoder(c.cfg, 1);
  const init = new SeededRng(1);
  const trainable = trainableVariables(model, LORA, init);
  if (weights !== 'f32') await packFrozenWeights(model, weights);
  const setup = trainSetupOver(model, trainable, benchBatch(c.batch, c.seq, c.cfg.vocabSize), init, 1);
  return { trainableParams: setup.trainableParams, step: () => setup.stepAsync(), dispose: () => setup.dispose() };
}
