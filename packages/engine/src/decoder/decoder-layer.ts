import * as tf from '@tensorflow/tfjs-core';
import { type DropoutContext, project, projectAdd } from '../layers/projection.js';
import { trainingOps } from '../ops/index.js';
import type { DecoderConfig } from './decoder-config.js';
import type { DecoderLayerParams } from './decoder-params.js';

/** Position tables for one sequence length: cos and signed sin, [S, 1, headDim]. */
export interface RopeTensors {
  cos: tf.Tensor3D;
  sinSigned: tf.Tensor3D;
}

/**
 * One pre-norm decoder layer (Llama / Mistral / Qwen2): h + attn(norm(h)), then + mlp(norm(.)).
 * `bias` is this layer's additive attention mask [B, 1, S, S]. Input and output are [B, S, H].
 */
export function decoderLayer(
  h: tf.Tensor3D,
  p: DecoderLayerParams,
  cfg: DecoderConfig,
  rope: RopeTensors,
  bias: tf.Tensor4D,
  dropout: DropoutContext,
): tf.Tensor3D {
  const ops = trainingOps();
  const [batch, seqLen] = h.shape;
  const { numHeads, numKvHeads, headDim } = cfg;
  const x = ops.rmsNorm(h, p.inputNorm, cfg.rmsNormEps);
  const q = tf.reshape(project(x, p.proj.q_proj, dropout), [batch, seqLen, numHeads, headDim]);
  const k = tf.reshape(project(x, p.proj.k_proj, dropout), [batch, seqLen, numKvHeads, headDim]);
  const v = tf.reshape(project(x, p.proj.v_proj, dropout), [batch, seqLen, numKvHeads, headDim]);
  const attended = ops.ropeAttention(q, k, v, rope.cos, rope.sinSigned, bias, { numHeads, numKvHeads, headDim });
  const h1 = projectAdd(attended, p.proj.o_proj, dropout, h) as tf.Tensor3D;
  const y = ops.rmsNorm(h1, p.postNorm, cfg.rmsNormEps);
  const act = ops.swiglu(project(y, p.proj.gate_proj, dropout), project(y, p.proj.up_proj, dropout));
  return projectAdd(act, p.proj.down_proj, dropout, h1) as tf.Tensor3D;
}
