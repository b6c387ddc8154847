import { join } from 'node:path';
import type { Backbone, TaggedSentence } from '@lookright/core';
import { WORD_LEVEL_SPECIALS, wordLevelTokenizerJson, wordVocabulary } from '@lookright/text';
import { llamaConfigJson, llamaTensorShapes, parameterCount } from '../pretrain/architecture.js';
import { bertConfigJson, bertTensorShapes } from '../pretrain/bert-architecture.js';
import { initialWeights, writeCheckpointFolder } from '../pretrain/decoder-checkpoint.js';
import type { SeededRng } from '../rng.js';

/**
 * For a backbone made from a config (Backbone.fromConfig), writes its model folder into `<outputDir>/model`:
 * config.json, model.safetensors with HF initialisation drawn from `rng` (the cell seed's model stream) and a
 * word-level tokenizer.json whose vocabulary is the training split's words, so every later step (alignment, LoRA,
 * heads, the mask audit, PEFT export) runs as on a downloaded checkpoint. Returns the opened folder's backbone; a
 * checkpoint backbone is returned as it is. Same seed and training split: the same bytes.
 */
export async function materializeBackbone(
  backbone: Backbone,
  train: readonly TaggedSentence[],
  rng: SeededRng,
  outputDir: string,
  log: (line: string) => void,
): Promise<Backbone> {
  const from = backbone.fromConfig;
  if (!from) return backbone;
  const dir = join(outputDir, 'model');
  const words = wordVocabulary(train);
  const size = { ...from.sizes, vocabSize: words.length + WORD_LEVEL_SPECIALS.length };
  const pad = 0;
  const [config, shapes] =
    backbone.architecture === 'decoder'
      ? [llamaConfigJson(size, { eos: pad, pad }), llamaTensorShapes(size)]
      : [bertConfigJson(size, size.intermediateSize, pad), bertTensorShapes(size, size.intermediateSize)];
  writeCheckpointFolder(dir, config, initialWeights(shapes, rng), wordLevelTokenizerJson(words));
  log(
    `model made from config: ${backbone.architecture}, hidden ${size.hiddenSize}, ${size.layers} layers, ` +
      `${size.heads} heads, ${size.vocabSize} words, ${parameterCount(shapes)} parameters (seeded init) in ${dir}`,
  );
  return from.open(dir);
}
