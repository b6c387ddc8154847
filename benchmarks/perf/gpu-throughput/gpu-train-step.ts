import '@lookright/engine/stock-gradients';
import { type DecoderModel, packFrozenWeights, trainingOps, type WeightStorage } from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';
import { LABELS } from '../train-throughput/bench-config.js';
import { randomDecoder, trainableSelector } from '../train-throughput/random-decoder.js';
import { TfjsAdamW } from '../train-throughput/tfjs-adamw.js';
import { seededInts } from '../train-throughput/train-step.js';
import type { GpuBenchConfig } from './gpu-bench-configs.js';

/** A LoRA training setup on the GPU: every read back is asynchronous (webgpu has no synchronous read in Node). */
export interface GpuTrainSetup {
  /** forward + cross-entropy + backward + AdamW, waiting for the loss to come back. */
  step(): Promise<number>;
  trainableParams: number;
  dispose(): void;
}

/**
 * The benchmark decoder of `c` (seeded random weights, LoRA r=64 on q and v), a linear head over 9 labels, and
 * AdamW in tfjs ops. With `weights` bf16 or f16 the frozen projection weights are held in 16 bits.
 */
export async function makeGpuTrainSetup(c: GpuBenchConfig, weights: WeightStorage): Promise<GpuTrainSetup> {
  const { cfg, batch, seq } = c;
  const model: DecoderModel = randomDecoder(cfg, 'lora', 1);
  const trainable = model.setTrainable(trainableSelector('lora'));
  if (weights !== 'f32') await packFrozenWeights(model, weights);
  const headKernel = tf.variable(tf.randomNormal([cfg.hiddenSize, LABELS], 0, 0.02, 'float32', 7), true);
  const headBias = tf.variable(tf.zeros([LABELS]), true);
  const vars = [...trainable.values(), headKernel, headBias];
  const ids = tf.tensor2d(seededInts(batch * seq, cfg.vocabSize, 3), [batch, seq], 'int32');
  const mask = tf.ones([batch, seq], 'int32') as tf.Tensor2D;
  const labels = tf.oneHot(tf.tensor1d(seededInts(batch * seq, LABELS, 5), 'int32'), LABELS);
  const specs = Array.from({ length: cfg.numLayers }, () => ({ kind: 'causal' }) as const);
  const optimizer = new TfjsAdamW();
  let stepIndex = 0;
  const loss = () =>
    tf.tidy(() => {
      const out = model.forward(ids, mask, specs, { training: true, seed: stepIndex * 1000 });
      const logits = trainingOps().linear(out.lastHiddenState, headKernel as tf.Tensor2D, headBias as tf.Tensor1D);
      const logp = tf.logSoftmax(tf.reshape(logits, [batch * seq, LABELS]));
      return tf.neg(tf.mean(tf.sum(tf.mul(labels, logp), -1))) as tf.Scalar;
    });
  return {
    trainableParams: vars.reduce((n, v) => n + v.size, 0),
    async step() {
      stepIndex += 1;
      const { value, grads } = tf.variableGrads(loss, vars);
      optimizer.update(new Map(vars.map((v) => [v, grads[v.name]] as const)));
      const lossValue = (await value.data())[0];
      tf.dispose([value, ...Object.values(grads)]);
      return lossValue;
    },
    dispose() {
      optimizer.dispose();
      tf.dispose([ids, mask, labels, headKernel, headBias]);
      model.dispose();
    },
  };
}
