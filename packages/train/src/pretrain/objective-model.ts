import { join } from 'node:path';
import { causal } from '@lookright/core';
import { loadDecoder, loadEncoder, readSafetensors, type TensorToWrite } from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';
import type { SeededRng } from '../rng.js';
import { type ArchitectureSize, llamaConfigJson, llamaTensorShapes, parameterCount } from './architecture.js';
import { bertConfigJson, bertTensorShapes, matchingIntermediateSize } from './bert-architecture.js';
import { clmLoss } from './clm-loss.js';
import { decoderTensors, initialWeights, writeCheckpointFolder } from './decoder-checkpoint.js';
import { encoderTensors, MlmHead } from './mlm-head.js';
import { maskTokens } from './mlm-masking.js';

/** A freshly initialised model for one pre-training objective, loaded back through the engine's loader. */
export interface ObjectiveModel {
  readonly description: string;
  readonly parameters: number;
  readonly config: Record<string, unknown>;
  variables(): tf.Variable[];
  /** Mean loss on windows; `rng` draws MLM masks (CLM needs none); `dropoutSeed` null = no dropout. */
  loss(windows: number[][], rng: SeededRng, dropoutSeed: number | null): tf.Scalar;
  /** Output logits on unmasked windows, for reload checks. */
  logits(windows: number[][]): tf.Tensor3D;
  tensors(): Map<string, TensorToWrite>;
  dispose(): void;
}

/** Ids of the special tokens and the regular vocabulary size. */
export interface TokenIds {
  eos: number;
  pad: number;
  mask: number;
  regularVocab: number;
}

const inputsOf = (windows: number[][]) => {
  const ids = tf.tensor2d(windows, undefined, 'int32');
  return { ids, mask: tf.onesLike(ids) as tf.Tensor2D };
};

/** A Llama decoder trained on next-token prediction (windows carry one extra token for the target). */
export async function causalDecoder(
  dir: string,
  size: ArchitectureSize,
  tokens: TokenIds,
  tokenizer: Record<string, unknown>,
  rng: SeededRng,
): Promise<ObjectiveModel> {
  const config = llamaConfigJson(size, tokens);
  const shapes = llamaTensorShapes(size);
  writeCheckpointFolder(dir, config, initialWeights(shapes, rng), tokenizer);
  const { model } = await loadDecoder(dir);
  const variables = [...model.setTrainable(() => true).values()];
  const specs = Array.from({ length: model.numLayers }, () => causal);
  return {
    description: `llama decoder (causal LM), ${size.layers} layers, hidden ${size.hiddenSize}`,
    parameters: parameterCount(shapes),
    config,
    variables: () => variables,
    loss: (windows, _rng, seed) => clmLoss(model, windows, specs, seed),
    logits: (windows) =>
      tf.tidy(() => {
        const { ids, mask } = inputsOf(windows);
        return model.forward(ids, mask, specs, { outputLogits: true }).logits as tf.Tensor3D;
      }),
    tensors: () => decoderTensors(model),
    dispose: () => model.dispose(),
  };
}

/** A BERT encoder with its MLM head, of the decoder's parameter count (feed-forward width matched). */
export async function maskedEncoder(
  dir: string,
  size: ArchitectureSize,
  tokens: TokenIds,
  tokenizer: Record<string, unknown>,
  rng: SeededRng,
): Promise<ObjectiveModel> {
  const intermediate = matchingIntermediateSize(size);
  const config = bertConfigJson(size, intermediate, tokens.pad);
  const shapes = bertTensorShapes(size, intermediate);
  writeCheckpointFolder(dir, config, initialWeights(shapes, rng), tokenizer);
  const { model } = await loadEncoder(dir);
  const stored = new Map(
    [...readSafetensors(join(dir, 'model.safetensors'))].map(([name, t]) => [
      name,
      { shape: t.shape, data: Float32Array.from(t.data as ArrayLike<number>) },
    ]),
  );
  const head = new MlmHead(stored, 1e-12);
  const variables = [...model.setTrainable(() => true).values(), ...head.variables()];
  return {
    description: `bert encoder (masked LM), ${size.layers} layers, hidden ${size.hiddenSize}, feed-forward ${intermediate}`,
    parameters: parameterCount(shapes),
    config,
    variables: () => variables,
    loss: (windows, maskRng, seed) =>
      tf.tidy(() => {
        const batch = maskTokens(windows, maskRng, { maskId: tokens.mask, regularVocab: tokens.regularVocab });
        const { ids, mask } = inputsOf(batch.inputs);
        const hidden = model.forward(ids, mask, null, { training: seed !== null, seed: seed ?? 0 }).lastHiddenState;
        return head.maskedLoss(hidden, batch.labels, model);
      }),
    logits: (windows) =>
      tf.tidy(() => {
        const { ids, mask } = inputsOf(windows);
        return head.logits(model.forward(ids, mask).lastHiddenState, model);
      }),
    tensors: () => new Map([...encoderTensors(model), ...head.tensors()]),
    dispose: () => {
      head.dispose();
      model.dispose();
    },
  };
}
