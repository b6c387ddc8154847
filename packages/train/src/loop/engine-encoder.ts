import type { Backbone, LayerMaskSpec, Recipe } from '@lookright/core';
import {
  applyPeftAdapter,
  attachLora,
  type LoadedBackboneModel,
  loraSettings,
  packFrozenWeights,
} from '@lookright/engine';
import { loadWordTokenizer, type WordTokenizer } from '@lookright/text';
import * as tf from '@tensorflow/tfjs-core';
import type { SeededRng } from '../rng.js';
import type { EncoderInput, SequenceEncoder } from './sequence-encoder.js';

/** A backbone ready for fine-tuning, with the tokenizer of its checkpoint. */
export interface LoadedEncoder extends SequenceEncoder {
  readonly tokenizer: WordTokenizer;
  /** A decoder (backbone:llama) or a BERT / RoBERTa encoder (backbone:bert). */
  readonly model: LoadedBackboneModel;
  readonly layerSpecs: readonly LayerMaskSpec[];
}

/**
 * Loads the backbone's checkpoint (decoder or encoder) with the per-layer masks fixed: with LoRA (engine's attachLora, PEFT
 * initialisation seeded from the init stream) only the adapters train; without (recipe.lora false) every weight does.
 * With `adapterDir` (a PEFT adapter folder, e.g. an export) its LoRA weights are loaded instead and nothing trains.
 * With the recipe's weightStorage f16, bf16 or nf4 (backend webgpu) and LoRA the frozen projection weights are held
 * packed: a decoder packs them on the CPU while loading (no f32 copy on the GPU), an encoder packs them after loading.
 */
export async function openEncoder(
  backbone: Backbone,
  layerSpecs: readonly LayerMaskSpec[],
  recipe: Recipe,
  rng: SeededRng,
  adapterDir?: string,
): Promise<LoadedEncoder> {
  const tokenizer = loadWordTokenizer(backbone.modelDir);
  const storage = recipe.weightStorage ?? 'f32';
  const packFrozen = storage !== 'f32' && !adapterDir && Boolean(recipe.lora);
  const model = await backbone.load(packFrozen ? { weightStorage: storage } : {});
  if (adapterDir) applyPeftAdapter(model, adapterDir);
  const trainable = adapterDir ? [] : trainableVariables(model, recipe.lora, rng);
  if (packFrozen) await packFrozenWeights(model, storage as Exclude<typeof storage, 'f32'>);
  return { tokenizer, layerSpecs, ...modelEncoder(model, layerSpecs, trainable) };
}

/**
 * Makes `model` trainable as a recipe says: with `lora`, attaches adapters (PEFT initialisation seeded from `rng`)
 * and returns them; without, every weight trains. Returns the trainable variables in a stable order.
 */
export function trainableVariables(model: LoadedBackboneModel, lora: Recipe['lora'], rng: SeededRng): tf.Variable[] {
  if (!lora) return [...model.setTrainable(() => true).values()];
  const settings = loraSettings({ r: lora.r, alpha: lora.alpha, dropout: lora.dropout, targetModules: lora.targets });
  return [...attachLora(model, settings, rng.nextUint32()).values()];
}

/** The SequenceEncoder over an engine model with fixed per-layer masks and the given trainable variables. */
export function modelEncoder(
  model: LoadedBackboneModel,
  layerSpecs: readonly LayerMaskSpec[],
  trainable: tf.Variable[],
): SequenceEncoder & { readonly model: LoadedBackboneModel } {
  return {
    model,
    hiddenSize: model.config.hiddenSize,
    padId: 0,
    trainableVariables: () => trainable,
    hiddenStates(input: EncoderInput, dropoutSeed: number | null): tf.Tensor3D {
      return tf.tidy(() => {
        const ids = tf.tensor2d(input.ids, undefined, 'int32');
        const mask = tf.tensor2d(
          input.ids.map((row, r) => row.map((_, c) => (c < input.lengths[r] ? 1 : 0))),
          undefined,
          'int32',
        );
        const out = model.forward(ids, mask, layerSpecs, {
          training: dropoutSeed !== null,
          seed: dropoutSeed ?? 0,
        });
        return out.lastHiddenState;
      });
    },
    dispose: () => model.dispose(),
  };
}
