import * as tf from '@tensorflow/tfjs-core';
import { modelErrors } from '../errors.js';
import { isPackedKernel } from '../ops/packed-kernel.js';
import { type LoraModel, loraModules } from './lora-modules.js';
import type { LoraSettings } from './lora-settings.js';

/**
 * Adds fresh LoRA adapters to the targeted projections of every layer, PEFT-style: A ~ U(-1/sqrt(in), 1/sqrt(in))
 * (kaiming-uniform with a = sqrt(5)), B = 0, so the model's output is unchanged until training moves B.
 * Then makes the adapters the only trainable parameters (plus any name `alsoTrain` accepts, e.g. none); base
 * weights become constants and are never copied. Returns the trainable variables by name.
 */
export function attachLora(
  model: LoraModel,
  settings: LoraSettings,
  seed: number,
  alsoTrain: (name: string) => boolean = () => false,
): Map<string, tf.Variable> {
  let next = seed;
  const modules = loraModules(model);
  // layer by layer, in the order of settings.targetModules (the seeds follow it)
  const ordered = [...new Set(modules.map((m) => m.layer))].flatMap((layer) =>
    settings.targetModules.flatMap((want) =>
      modules.filter((m) => m.layer === layer && (m.target === want || m.role === want)),
    ),
  );
  for (const { linear: p } of new Set(ordered)) {
    p.lora?.a.dispose();
    p.lora?.b.dispose();
    const [inFeatures, outFeatures] = p.kernel.shape;
    const bound = 1 / Math.sqrt(inFeatures);
    p.lora = {
      a: tf.randomUniform([inFeatures, settings.r], -bound, bound, 'float32', next++) as tf.Tensor2D,
      b: tf.zeros([settings.r, outFeatures]) as tf.Tensor2D,
      scaling: settings.alpha / settings.r,
      dropout: settings.dropout,
    };
  }
  return model.setTrainable((name) => name.includes('.lora_') || alsoTrain(name));
}

/**
 * Folds every adapter into its base kernel (W' = W + scaling * A B, in the [in, out] layout) and removes the
 * adapters. The merged model computes the same outputs without the extra matMuls.
 */
export function mergeLora(model: LoraModel): void {
  for (const { linear: p } of loraModules(model)) {
    if (!p.lora) continue;
    const kernel = p.kernel;
    if (isPackedKernel(kernel)) throw modelErrors.loraMergePacked(kernel.format);
    const { a, b, scaling } = p.lora;
    const merged = tf.tidy(() => tf.add(kernel, tf.mul(tf.matMul(a, b), scaling))) as tf.Tensor2D;
    const wasVariable = kernel instanceof tf.Variable && kernel.trainable;
    kernel.dispose();
    p.kernel = wasVariable ? (tf.variable(merged, true) as tf.Variable<tf.Rank.R2>) : merged;
    if (wasVariable) merged.dispose();
    tf.dispose([a, b]);
    delete p.lora;
  }
}
