import * as tf from '@tensorflow/tfjs-core';
import { assertTensorNames, assertTensorShape } from '../io/checkpoint-names.js';
import type { LinearParams } from '../layers/linear-params.js';
import { isPackedKernel, type PackedKernel } from '../ops/packed-kernel.js';
import type { DecoderConfig } from './decoder-config.js';
import {
  type DecoderLayerParams,
  type DecoderParams,
  type ProjectionName,
  projectionNames,
  projectionPath,
} from './decoder-params.js';
import { expectedDecoderTensors } from './decoder-weight-names.js';

/** Buffers some checkpoints carry that the model recomputes (ignored). */
const IGNORED = /(^|\.)rotary_emb\.inv_freq$/;

/** `model.` when the checkpoint's decoder weights carry it (a *ForCausalLM save), else ''. */
export function decoderPrefix(names: Iterable<string>): string {
  for (const n of names) if (n.startsWith('model.embed_tokens.') || n.startsWith('model.layers.')) return 'model.';
  return '';
}

/** The HF-layout shape of a checkpoint tensor, or of a projection weight already packed as its [in, out] kernel. */
const hfShape = (t: tf.Tensor | PackedKernel) => (isPackedKernel(t) ? [t.shape[1], t.shape[0]] : t.shape);

/**
 * Checks names and shapes against config.json and builds the decoder's parameters. Linear weights are stored
 * transposed ([in, out]) for the forward matMul; the HF-layout originals are disposed, so `weights` must not be
 * used afterwards. A projection weight may come already packed (loadDecoder's weightStorage): it is the kernel as
 * is. Wrong or missing names raise CHECKPOINT_TENSOR_NAMES listing the expected names.
 */
export function buildDecoderParams(
  cfg: DecoderConfig,
  weights: Map<string, tf.Tensor | PackedKernel>,
  source: string,
): DecoderParams {
  const names = [...weights.keys()].filter((n) => !IGNORED.test(n));
  const prefix = decoderPrefix(names);
  const expected = expectedDecoderTensors(cfg);
  const required = [...expected.keys()].map((n) => prefix + n);
  assertTensorNames(source, names, { required, optional: ['lm_head.weight'] });
  for (const [name, shape] of expected)
    assertTensorShape(source, prefix + name, hfShape(weights.get(prefix + name)!), shape);
  const head = weights.get('lm_head.weight') as tf.Tensor | undefined;
  if (head) assertTensorShape(source, 'lm_head.weight', head.shape, [cfg.vocabSize, cfg.hiddenSize]);

  const take = (name: string) => weights.get(prefix + name) as tf.Tensor;
  const linearOf = (path: string): LinearParams => {
    const weight = weights.get(`${prefix}${path}.weight`)!;
    const kernel = isPackedKernel(weight) ? weight : (tf.transpose(weight) as tf.Tensor2D);
    const bias = weights.get(`${prefix}${path}.bias`) as tf.Tensor1D | undefined;
    return bias ? { kernel, bias } : { kernel };
  };
  const layers: DecoderLayerParams[] = [];
  for (let i = 0; i < cfg.numLayers; i++) {
    const base = `layers.${i}`;
    const proj = {} as Record<ProjectionName, LinearParams>;
    for (const p of projectionNames) proj[p] = linearOf(`${base}.${projectionPath(p)}`);
    layers.push({
      inputNorm: take(`${base}.input_layernorm.weight`) as tf.Tensor1D,
      postNorm: take(`${base}.post_attention_layernorm.weight`) as tf.Tensor1D,
      proj,
    });
  }
  const params: DecoderParams = {
    embed: take('embed_tokens.weight') as tf.Tensor2D,
    layers,
    norm: take('norm.weight') as tf.Tensor1D,
  };
  if (head && !cfg.tieWordEmbeddings) params.lmHead = { kernel: tf.transpose(head) as tf.Tensor2D };
  // dispose what was transposed (and an lm_head that tied embeddings make redundant)
  for (const [name, t] of weights) {
    if (isPackedKernel(t)) continue;
    if (name.endsWith('_proj.weight') || name === 'lm_head.weight' || IGNORED.test(name)) t.dispose();
  }
  return params;
}
