import {
  add,
  fused,
  matMul,
  mul,
  reshape,
  sum,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  tidy,
  Variable,
} from '@tensorflow/tfjs-core';
import { nativeKernelActive } from '../enable-native.js';
import { ATTENTION, ATTENTION_GRAD } from '../kernels/attention.js';
import { LINEAR_ADD } from '../kernels/linear-add.js';
import { matmulPrecision } from '../matmul-precision.js';
import { loadAddon } from '../native-addon.js';
import { runKernel, withGradient } from './custom-grad.js';
import {
  mask4,
  maskShape4,
  nativeApplyRope,
  nativeEmbedding,
  nativeMaskedSoftmax,
  nativeMergeHeads,
  nativeRmsNorm,
  nativeRopeSplitHeads,
  nativeSeededDropout,
  nativeSplitHeads,
  nativeSwigluPair,
} from './native-ops.js';

/** Head counts of grouped-query attention (structurally the engine's AttentionShape). */
export interface AttentionShape {
  numHeads: number;
  numKvHeads: number;
  headDim: number;
}

/**
 * The engine's swappable training ops (packages/engine/src/ops/index.ts `TrainingOps`), restated here so this
 * package does not depend on the engine: the engine passes `nativeTrainingOps()` to `replaceTrainingOps`, and
 * the type checker compares the two structurally.
 */
export interface NativeTrainingOps {
  linear(x: Tensor, kernel: Tensor2D, bias?: Tensor1D): Tensor;
  linearAdd(x: Tensor, kernel: Tensor2D, addend: Tensor, scale?: number, bias?: Tensor1D): Tensor;
  rmsNorm(x: Tensor, weight: Tensor1D, eps: number): Tensor;
  applyRope(x: Tensor, cos: Tensor, sinSigned: Tensor): Tensor;
  swiglu(gate: Tensor, up: Tensor): Tensor;
  maskedSoftmax(scores: Tensor, bias: Tensor, scale: number): Tensor;
  attention(q: Tensor, k: Tensor, v: Tensor, bias: Tensor, shape: AttentionShape): Tensor;
  ropeAttention(
    q: Tensor,
    k: Tensor,
    v: Tensor,
    cos: Tensor,
    sinSigned: Tensor,
    bias: Tensor,
    shape: AttentionShape,
  ): Tensor;
  embedding(table: Tensor2D, ids: Tensor): Tensor;
  dropout(x: Tensor, rate: number, seed: number): Tensor;
  hostMaskDropout(x: Tensor, rate: number, seed: number): Tensor;
}

function isTrainable(t: Tensor | undefined): t is Variable {
  return t instanceof Variable && t.trainable;
}

/**
 * y = x @ kernel + bias with the engine's `linear` contract (kernel [in, out]; trainable variables get
 * gradients). With BLAS matmuls the backward pass uses transpose flags instead of explicit transposes.
 */
export function nativeLinear(x: Tensor, kernel: Tensor2D, bias?: Tensor1D): Tensor {
  const [inFeatures, outFeatures] = kernel.shape;
  const lead = x.shape.slice(0, -1);
  const trainKernel = isTrainable(kernel);
  const trainBias = bias !== undefined && isTrainable(bias);
  return tidy(() => {
    const x2 = reshape(x, [-1, inFeatures]) as Tensor2D;
    const inputs: Tensor[] = [x2];
    if (trainKernel) inputs.push(kernel);
    if (trainBias) inputs.push(bias);
    const y2 = withGradient(
      inputs,
      () => ({ value: fused.matMul({ a: x2, b: kernel, bias }), saved: [x2, kernel] }),
      (dy, [xs, k]) => {
        const grads: Tensor[] = [matMul(dy, k, false, true)];
        if (trainKernel) grads.push(matMul(xs, dy, true, false));
        if (trainBias) grads.push(sum(dy, 0));
        return grads;
      },
    );
    return reshape(y2, [...lead, outFeatures]);
  });
}

/**
 * addend + scale * (x @ kernel + bias) with the engine's `linearAdd` contract, as one GEMM whose epilogue adds
 * into the addend (LookrightLinearAdd). Bit-identical to add(addend, mul(nativeLinear(x, kernel, bias), scale))
 * in value and gradients: the backward pass runs the same ops in the same order. Inputs the kernel does not take
 * (other dtypes, an addend of another shape) go through that composition.
 */
export function nativeLinearAdd(x: Tensor, kernel: Tensor2D, addend: Tensor, scale?: number, bias?: Tensor1D): Tensor {
  const [inFeatures, outFeatures] = kernel.shape;
  const lead = x.shape.slice(0, -1);
  const fits =
    nativeKernelActive(LINEAR_ADD) &&
    [x, kernel, addend, ...(bias ? [bias] : [])].every((t) => t.dtype === 'float32') &&
    addend.shape.length === lead.length + 1 &&
    addend.shape.every((d, i) => d === (i < lead.length ? lead[i] : outFeatures)) &&
    (bias === undefined || (bias.rank === 1 && bias.shape[0] === outFeatures));
  if (!fits) {
    const y = nativeLinear(x, kernel, bias);
    return add(addend, scale === undefined ? y : mul(y, scale));
  }
  const trainKernel = isTrainable(kernel);
  const trainBias = bias !== undefined && isTrainable(bias);
  return tidy(() => {
    const x2 = reshape(x, [-1, inFeatures]) as Tensor2D;
    const addend2 = reshape(addend, [-1, outFeatures]);
    const inputs: Tensor[] = [x2, addend2];
    if (trainKernel) inputs.push(kernel);
    if (trainBias) inputs.push(bias);
    const kernelInputs = { a: x2, b: kernel, addend: addend2, ...(bias ? { bias } : {}) };
    const y2 = withGradient(
      inputs,
      () => ({ value: runKernel(LINEAR_ADD, kernelInputs, { scale: scale ?? 1 })[0], saved: [x2, kernel] }),
      (dy, [xs, k]) => {
        const g = scale === undefined ? dy : mul(dy, scale);
        const grads: Tensor[] = [matMul(g, k, false, true), dy];
        if (trainKernel) grads.push(matMul(xs, g, true, false));
        if (trainBias) grads.push(sum(g, 0));
        return grads;
      },
    );
    return reshape(y2, [...lead, outFeatures]);
  });
}

/** Attention over heads already split ([B,heads,S,D] q, [B,kvHeads,S,D] k/v): BLAS matmuls, fused softmax, merge. */
function attendSplitHeads(qh: Tensor, kh: Tensor, vh: Tensor, bias: Tensor, shape: AttentionShape): Tensor {
  const { numHeads, numKvHeads, headDim } = shape;
  const [batch, , seqLen] = qh.shape as number[];
  const group = numHeads / numKvHeads;
  const qg = reshape(qh, [batch, numKvHeads, group * seqLen, headDim]);
  const scores = reshape(matMul(qg, kh, false, true), [batch, numHeads, seqLen, seqLen]);
  const probs = nativeMaskedSoftmax(scores, bias, 1 / Math.sqrt(headDim));
  const ctx = matMul(reshape(probs, [batch, numKvHeads, group * seqLen, seqLen]), vh);
  return nativeMergeHeads(reshape(ctx, [batch, numHeads, seqLen, headDim]));
}

/** [B,S,heads,D] -> [B,S,heads*D] (the layout the heads kernel splits). */
function flatHeads(x: Tensor): Tensor {
  const [batch, seqLen, heads, headDim] = x.shape as number[];
  return reshape(x, [batch, seqLen, heads * headDim]);
}

/** RoPE tables as the kernels read them: rows a last axis apart, each row's sin values from sinOffset on. */
export interface RopeTables {
  cos: Tensor;
  sin: Tensor;
  sinOffset: number;
}

/**
 * Attention (and RoPE) as one native kernel per direction (LookrightAttention, csrc/attention.cc) on float32
 * inputs under float32 matmuls; null where it does not apply (another dtype, bf16 matmuls, a mask that does not
 * broadcast to [B,heads,S,S], a BLAS whose products sum otherwise: `attentionExact()`) and the separate kernels run
 * instead. Value and gradients are bit-identical to theirs, so a cell's numbers do not depend on the path.
 */
function fusedAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  bias: Tensor,
  shape: AttentionShape,
  rope?: RopeTables,
): Tensor | null {
  if (!nativeKernelActive(ATTENTION) || !nativeKernelActive(ATTENTION_GRAD) || matmulPrecision() !== 'f32') {
    return null;
  }
  const loaded = loadAddon();
  if (!loaded.ok || !loaded.addon.attentionExact()) return null;
  if (![q, k, v].every((t) => t.dtype === 'float32' && t.rank === 4)) return null;
  const [batch, seqLen] = q.shape;
  const shape4 = maskShape4(bias, [batch, shape.numHeads, seqLen, seqLen]);
  if (!shape4) return null;
  return tidy(() => {
    const mask = mask4(bias, shape4);
    const tables: Record<string, Tensor> = rope ? { cos: rope.cos, sin: rope.sin } : {};
    const attrs = {
      heads: shape.numHeads,
      kvHeads: shape.numKvHeads,
      scale: 1 / Math.sqrt(shape.headDim),
      tableStride: rope ? rope.cos.shape[rope.cos.rank - 1] : 0,
      sinOffset: rope?.sinOffset ?? 0,
    };
    return withGradient(
      [flatHeads(q), flatHeads(k), flatHeads(v)],
      ([qf, kf, vf]) => {
        const [ctx, probs] = runKernel(ATTENTION, { q: qf, k: kf, v: vf, mask, ...tables }, attrs);
        // the tables are saved too: the caller may dispose them before the backward pass
        return { value: ctx, saved: [qf, kf, vf, probs, ...(rope ? [rope.cos, rope.sin] : [])] };
      },
      (dy, [qf, kf, vf, probs, cos, sin]) =>
        runKernel(ATTENTION_GRAD, { dy, q: qf, k: kf, v: vf, probs, ...(cos ? { cos, sin } : {}) }, attrs),
    );
  });
}

/**
 * Attention (and RoPE) through the separate kernels: heads split (q and k rotated while split), BLAS matmuls with
 * transpose flags, the fused masked softmax, heads merged. The path for inputs the fused kernel does not take, and
 * the fused kernel's bit-for-bit reference in its tests.
 */
export function separateKernelsAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  bias: Tensor,
  shape: AttentionShape,
  rope?: RopeTables,
): Tensor {
  const split = (x: Tensor, heads: number) =>
    rope
      ? nativeRopeSplitHeads(flatHeads(x), rope.cos, rope.sin, heads, rope.sinOffset)
      : nativeSplitHeads(flatHeads(x), heads);
  return tidy(() =>
    attendSplitHeads(
      split(q, shape.numHeads),
      split(k, shape.numKvHeads),
      nativeSplitHeads(flatHeads(v), shape.numKvHeads),
      bias,
      shape,
    ),
  );
}

/** The engine's grouped-query `attention` (q [B,S,heads,D], k/v [B,S,kvHeads,D], additive bias). */
export function nativeAttention(q: Tensor, k: Tensor, v: Tensor, bias: Tensor, shape: AttentionShape): Tensor {
  return fusedAttention(q, k, v, bias, shape) ?? separateKernelsAttention(q, k, v, bias, shape);
}

/**
 * The engine's `ropeAttention` (attention over RoPE-rotated q and k, the engine's [S,1,D] cos / sinSigned tables)
 * with the rotation done while the heads are gathered: the same float operations as nativeApplyRope then
 * nativeAttention, so value and gradients are bit-identical to that pair.
 */
export function nativeRopeAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  cos: Tensor,
  sinSigned: Tensor,
  bias: Tensor,
  shape: AttentionShape,
): Tensor {
  const rope = { cos, sin: sinSigned, sinOffset: shape.headDim / 2 };
  return fusedAttention(q, k, v, bias, shape, rope) ?? separateKernelsAttention(q, k, v, bias, shape, rope);
}

/**
 * Native replacements for the engine's training ops; pass to `replaceTrainingOps` after enableNative()
 * succeeded. `batchedMatMul` keeps the engine's version (its matMuls already run on BLAS).
 */
export function nativeTrainingOps(): NativeTrainingOps {
  return {
    linear: nativeLinear,
    linearAdd: nativeLinearAdd,
    rmsNorm: nativeRmsNorm,
    applyRope: nativeApplyRope,
    swiglu: nativeSwigluPair,
    maskedSoftmax: nativeMaskedSoftmax,
    attention: nativeAttention,
    ropeAttention: nativeRopeAttention,
    embedding: (table, ids) => nativeEmbedding(table, ids),
    dropout: nativeSeededDropout,
    hostMaskDropout: nativeSeededDropout,
  };
}
