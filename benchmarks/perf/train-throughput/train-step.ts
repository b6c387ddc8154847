import type { DecoderConfig } from '@lookright/engine';
import { type DecoderModel, trainingOps } from '@lookright/engine';
import { NativeAdamW } from '@lookright/native';
import * as tf from '@tensorflow/tfjs-core';
import { ADAMW, BATCH, type BenchMode, LABELS, SEQ, VOCAB } from './bench-config.js';
import { randomDecoder, trainableSelector } from './random-decoder.js';
import { TfjsAdamW } from './tfjs-adamw.js';

/** One benchmark training setup: model, linear token-classification head, data and optimizer. */
export interface TrainSetup {
  /** forward + cross-entropy + backward + AdamW; returns the loss. */
  step(): number;
  /** Trainable parameter count. */
  trainableParams: number;
  dispose(): void;
}

/** n pseudo-random ints in [0, max), an LCG seeded with `seed`: the same data on every backend. */
export function seededInts(n: number, max: number, seed: number): Int32Array {
  let s = seed >>> 0;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s % max;
  }
  return out;
}

export function makeTrainSetup(cfg: DecoderConfig, mode: BenchMode, native: boolean): TrainSetup {
  const model: DecoderModel = randomDecoder(cfg, mode, 1);
  const trainable = model.setTrainable(trainableSelector(mode));
  const headKernel = tf.variable(tf.randomNormal([cfg.hiddenSize, LABELS], 0, 0.02, 'float32', 7), true, 'head.kernel');
  const headBias = tf.variable(tf.zeros([LABELS]), true, 'head.bias');
  const vars = [...trainable.values(), headKernel, headBias];
  const ids = tf.tensor2d(seededInts(BATCH * SEQ, VOCAB, 3), [BATCH, SEQ], 'int32');
  const mask = tf.ones([BATCH, SEQ], 'int32') as tf.Tensor2D;
  const labels = tf.oneHot(tf.tensor1d(seededInts(BATCH * SEQ, LABELS, 5), 'int32'), LABELS);
  const specs: Parameters<DecoderModel['forward']>[2] = Array.from(
    { length: cfg.numLayers },
    () => ({ kind: 'causal' }) as const,
  );
  const nativeOpt = native ? new NativeAdamW(ADAMW) : undefined;
  const tfjsOpt = native ? undefined : new TfjsAdamW();
  let stepIndex = 0;
  const loss = () =>
    tf.tidy(() => {
      const out = model.forward(ids, mask, specs, { training: mode === 'lora', seed: stepIndex * 1000 });
      const logits = trainingOps().linear(
        out.lastHiddenState,
        headKernel as tf.Variable as tf.Tensor2D,
        headBias as tf.Tensor as tf.Tensor1D,
      );
      const logp = tf.logSoftmax(tf.reshape(logits, [BATCH * SEQ, LABELS]));
      return tf.neg(tf.mean(tf.sum(tf.mul(labels, logp), -1))) as tf.Scalar;
    });
  return {
    trainableParams: vars.reduce((n, v) => n + v.size, 0),
    step() {
      stepIndex += 1;
      const { value, grads } = tf.variableGrads(loss, vars);
      const byVar = new Map(vars.map((v) => [v, grads[v.name]] as const));
      if (nativeOpt) nativeOpt.step(byVar);
      else tfjsOpt?.update(byVar);
      const lossValue = value.dataSync()[0];
      tf.dispose([value, ...Object.values(grads)]);
      return lossValue;
    },
    dispose() {
      nativeOpt?.dispose();
      tfjsOpt?.dispose();
      tf.dispose([ids, mask, labels, headKernel, headBias]);
      model.dispose();
    },
  };
}
