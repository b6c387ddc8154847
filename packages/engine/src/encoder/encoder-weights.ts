import * as tf from '@tensorflow/tfjs-core';
import { assertTensorNames, assertTensorShape } from '../io/checkpoint-names.js';
import type { LinearParams } from '../layers/linear-params.js';
import type { EncoderConfig } from './encoder-config.js';
import {
  type EncoderLayerParams,
  type EncoderParams,
  type EncoderProjectionName,
  encoderProjectionNames,
  encoderProjectionPath,
  type LayerNormParams,
} from './encoder-params.js';
import { expectedEncoderTensors, expectedPoolerTensors } from './encoder-weight-names.js';

/** Buffers older checkpoints carry that the model recomputes (dropped). */
const IGNORED = /^embeddings\.(position_ids|token_type_ids)$/;

/** The prefix a head model (BertForTokenClassification, RobertaForMaskedLM, ...) puts before the encoder's names. */
export function encoderPrefixFor(cfg: EncoderConfig): string {
  return cfg.family === 'bert' ? 'bert.' : 'roberta.';
}

/** `bert.` / `roberta.` when the checkpoint's encoder weights carry it (a head model's save), else ''. */
export function encoderPrefix(cfg: EncoderConfig, names: Iterable<string>): string {
  const prefix = encoderPrefixFor(cfg);
  for (const n of names) if (n.startsWith(`${prefix}embeddings.`) || n.startsWith(`${prefix}encoder.`)) return prefix;
  return '';
}

/** The split of a checkpoint's names: encoder names (prefix removed, LayerNorm gamma/beta renamed) and head names. */
export interface EncoderNameSplit {
  prefix: string;
  /** Encoder-relative name -> name in the checkpoint. */
  encoder: Map<string, string>;
  /** Tensors of a task head outside the prefix (e.g. `cls.predictions.*`, `classifier.*`); the encoder drops them. */
  head: string[];
}

/** Splits checkpoint names into the encoder's and a head's. Without a prefix, every name belongs to the encoder. */
export function splitEncoderNames(cfg: EncoderConfig, names: readonly string[]): EncoderNameSplit {
  const prefix = encoderPrefix(cfg, names);
  const encoder = new Map<string, string>();
  const head: string[] = [];
  for (const name of names) {
    if (prefix && !name.startsWith(prefix)) {
      head.push(name);
      continue;
    }
    const bare = name
      .slice(prefix.length)
      .replace(/\.LayerNorm\.gamma$/, '.LayerNorm.weight')
      .replace(/\.LayerNorm\.beta$/, '.LayerNorm.bias');
    if (!IGNORED.test(bare)) encoder.set(bare, name);
  }
  return { prefix, encoder, head };
}

/**
 * Checks names and shapes against config.json and builds the encoder's parameters. Linear weights are stored
 * transposed ([in, out]); the HF-layout originals and any head tensors are disposed, so `weights` must not be used
 * afterwards. Wrong or missing names raise CHECKPOINT_TENSOR_NAMES listing the expected names (with the prefix found).
 */
export function buildEncoderParams(
  cfg: EncoderConfig,
  weights: Map<string, tf.Tensor>,
  source: string,
): { params: EncoderParams; split: EncoderNameSplit } {
  const split = splitEncoderNames(cfg, [...weights.keys()]);
  const { prefix, encoder } = split;
  const expected = expectedEncoderTensors(cfg);
  const pooler = expectedPoolerTensors(cfg);
  const hasPooler = [...pooler.keys()].some((n) => encoder.has(n));
  const required = [...expected.keys(), ...(hasPooler ? pooler.keys() : [])];
  assertTensorNames(
    source,
    [...encoder.keys()].map((n) => prefix + n),
    { required: required.map((n) => prefix + n), optional: hasPooler ? [] : [...pooler.keys()].map((n) => prefix + n) },
  );
  const take = (name: string) => weights.get(encoder.get(name) as string) as tf.Tensor;
  for (const [name, shape] of [...expected, ...(hasPooler ? pooler : [])]) {
    assertTensorShape(source, prefix + name, take(name).shape, shape);
  }
  const transposed: tf.Tensor[] = [];
  const linearOf = (path: string): LinearParams => {
    const weight = take(`${path}.weight`);
    transposed.push(weight);
    return { kernel: tf.transpose(weight) as tf.Tensor2D, bias: take(`${path}.bias`) as tf.Tensor1D };
  };
  const normOf = (path: string): LayerNormParams => ({
    weight: take(`${path}.weight`) as tf.Tensor1D,
    bias: take(`${path}.bias`) as tf.Tensor1D,
  });
  const layers: EncoderLayerParams[] = [];
  for (let i = 0; i < cfg.numLayers; i++) {
    const base = `encoder.layer.${i}`;
    const proj = {} as Record<EncoderProjectionName, LinearParams>;
    for (const p of encoderProjectionNames) proj[p] = linearOf(`${base}.${encoderProjectionPath(p)}`);
    layers.push({
      proj,
      attentionNorm: normOf(`${base}.attention.output.LayerNorm`),
      outputNorm: normOf(`${base}.output.LayerNorm`),
    });
  }
  const params: EncoderParams = {
    wordEmbeddings: take('embeddings.word_embeddings.weight') as tf.Tensor2D,
    positionEmbeddings: take('embeddings.position_embeddings.weight') as tf.Tensor2D,
    tokenTypeEmbeddings: take('embeddings.token_type_embeddings.weight') as tf.Tensor2D,
    embeddingNorm: normOf('embeddings.LayerNorm'),
    layers,
  };
  if (hasPooler) params.pooler = linearOf('pooler.dense');
  const kept = new Set([...expected.keys(), ...(hasPooler ? pooler.keys() : [])].map((n) => encoder.get(n) as string));
  for (const t of transposed) t.dispose();
  for (const [name, t] of weights) if (!kept.has(name)) t.dispose();
  return { params, split };
}
