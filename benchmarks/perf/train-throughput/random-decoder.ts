import {
  type DecoderConfig,
  type DecoderLayerParams,
  DecoderModel,
  type DecoderParams,
  type LinearParams,
  type ProjectionName,
} from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';

/** Seeded N(0, 0.02) weights, like HF's initializer_range; deterministic per (seed, name). */
function normal(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 0.02, 'float32', seed);
}

function linearParams(inF: number, outF: number, seed: number): LinearParams {
  return { kernel: normal([inF, outF], seed) as tf.Tensor2D };
}

/**
 * A randomly initialised decoder of `cfg` on the engine's DecoderModel (LoRA adapters are attached afterwards, as the
 * trainer attaches them).
 */
export function randomDecoder(cfg: DecoderConfig, seed: number): DecoderModel {
  const { hiddenSize: h, intermediateSize: inter, numHeads, numKvHeads, headDim } = cfg;
  let s = seed;
  const layers: DecoderLayerParams[] = [];
  for (let i = 0; i < cfg.numLayers; i++) {
    const proj: Record<ProjectionName, LinearParams> = {
      q_proj: linearParams(h, numHeads * headDim, s++),
      k_proj: linearParams(h, numKvHeads * headDim, s++),
      v_proj: linearParams(h, numKvHeads * headDim, s++),
      o_proj: linearParams(numHeads * headDim, h, s++),
      gate_proj: linearParams(h, inter, s++),
      up_proj: linearParams(h, inter, s++),
      down_proj: linearParams(inter, h, s++),
    };
    layers.push({ inputNorm: tf.ones([h]) as tf.Tensor1D, postNorm: tf.ones([h]) as tf.Tensor1D, proj });
  }
  const params: DecoderParams = {
    embed: normal([cfg.vocabSize, h], s++) as tf.Tensor2D,
    layers,
    norm: tf.ones([h]) as tf.Tensor1D,
  };
  return new DecoderModel(cfg, params, 'benchmark');
}
