import { cast, reshape, type Tensor } from '@tensorflow/tfjs-core';
import { nativeErrors } from '../errors.js';
import { DROPOUT } from '../kernels/dropout.js';
import { EMBEDDING, EMBEDDING_GRAD } from '../kernels/embedding.js';
import { HEADS, HeadsMode } from '../kernels/heads.js';
import { MASKED_SOFTMAX, MASKED_SOFTMAX_GRAD } from '../kernels/masked-softmax.js';
import { RMS_NORM, RMS_NORM_GRAD } from '../kernels/rms-norm.js';
import { SWIGLU, SWIGLU_GRAD } from '../kernels/swiglu.js';
import { requireKernel, runKernel, withGradient } from './custom-grad.js';

/** RMSNorm over the last axis: x * rsqrt(mean(x^2) + eps) * w. Gradients for x and w. */
export function nativeRmsNorm(x: Tensor, w: Tensor, eps: number): Tensor {
  requireKernel(RMS_NORM);
  return withGradient(
    [x, w],
    ([xi, wi]) => {
      const [y, r] = runKernel(RMS_NORM, { x: xi, w: wi }, { eps });
      return { value: y, saved: [xi, wi, r] };
    },
    (dy, [xs, ws, r]) => runKernel(RMS_NORM_GRAD, { dy, x: xs, w: ws, r }),
  );
}

/** silu(gate) * up on a fused [..., 2I] gate|up projection (gate first). */
export function nativeSwiglu(gateUp: Tensor): Tensor {
  requireKernel(SWIGLU);
  if (gateUp.shape[gateUp.rank - 1] % 2 !== 0) {
    throw nativeErrors.kernelShape(SWIGLU, `last dim of gate|up must be even, got shape [${gateUp.shape}]`);
  }
  return withGradient(
    [gateUp],
    ([gu]) => ({ value: runKernel(SWIGLU, { gu })[0], saved: [gu] }),
    (dy, [gu]) => runKernel(SWIGLU_GRAD, { gu, dy }),
  );
}

/** silu(gate) * up on separate gate and up tensors of equal shape (the engine's `swiglu`). */
export function nativeSwigluPair(gate: Tensor, up: Tensor): Tensor {
  requireKernel(SWIGLU);
  return withGradient(
    [gate, up],
    ([g, u]) => ({ value: runKernel(SWIGLU, { gate: g, up: u })[0], saved: [g, u] }),
    (dy, [g, u]) => runKernel(SWIGLU_GRAD, { gate: g, up: u, dy }),
  );
}

/**
 * [B,S,H*D] -> [B,H,S,D] with rotary embedding applied (HF rotate_half layout).
 * cos/sin: [S, D/2] for positions 0..S-1 shared by the batch, or [B*S, D/2] per row; or the engine's full tables
 * ([S,1,D] cos and sinSigned = [-sin, sin]) with `sinOffset` D/2.
 */
export function nativeRopeSplitHeads(x: Tensor, cos: Tensor, sin: Tensor, heads: number, sinOffset = 0): Tensor {
  requireKernel(HEADS);
  const table = { heads, tableStride: cos.shape[cos.rank - 1], sinOffset };
  return withGradient(
    [x],
    ([xi]) => ({
      value: runKernel(HEADS, { x: xi, cos, sin }, { ...table, mode: HeadsMode.splitRotate })[0],
      saved: [cos, sin],
    }),
    (dy, [c, s]) => runKernel(HEADS, { x: dy, cos: c, sin: s }, { ...table, mode: HeadsMode.unrotateMerge }),
  );
}

/**
 * RoPE in the engine's layout and tables (its `applyRope`): x [B,S,H,D], cos and sinSigned with S*D values
 * (broadcastable as [S,1,D]; sinSigned = [-sin, sin] per position), output [B,S,H,D].
 */
export function nativeApplyRope(x: Tensor, cos: Tensor, sinSigned: Tensor): Tensor {
  requireKernel(HEADS);
  const headDim = x.shape[x.rank - 1];
  const table = { heads: (x.shape as number[])[2], tableStride: headDim, sinOffset: headDim / 2 };
  return withGradient(
    [x],
    ([xi]) => ({
      value: runKernel(HEADS, { x: xi, cos, sin: sinSigned }, { ...table, mode: HeadsMode.rotate })[0],
      saved: [cos, sinSigned],
    }),
    (dy, [c, s]) => runKernel(HEADS, { x: dy, cos: c, sin: s }, { ...table, mode: HeadsMode.unrotate }),
  );
}

/** [B,S,H*D] -> [B,H,S,D] without rotation (values). */
export function nativeSplitHeads(x: Tensor, heads: number): Tensor {
  requireKernel(HEADS);
  return withGradient(
    [x],
    ([xi]) => ({ value: runKernel(HEADS, { x: xi }, { heads, mode: HeadsMode.split })[0], saved: [] }),
    (dy) => runKernel(HEADS, { x: dy }, { heads, mode: HeadsMode.merge }),
  );
}

/** [B,H,S,D] -> [B,S,H*D] (attention output back to the residual layout). */
export function nativeMergeHeads(x: Tensor): Tensor {
  requireKernel(HEADS);
  const heads = (x.shape as number[])[1];
  return withGradient(
    [x],
    ([xi]) => ({ value: runKernel(HEADS, { x: xi }, { heads, mode: HeadsMode.merge })[0], saved: [] }),
    (dy) => runKernel(HEADS, { x: dy }, { heads, mode: HeadsMode.split }),
  );
}

/**
 * softmax(scale * scores + mask) over the last axis. scores [B,H,R,C]; mask additive, rank 1..4,
 * broadcast over batch, heads and rows ([R,C], [B,1,R,C], [B,1,1,C], ...). The mask gets no gradient.
 */
export function nativeMaskedSoftmax(scores: Tensor, mask: Tensor, scale: number): Tensor {
  requireKernel(MASKED_SOFTMAX);
  const shape4 = scores.rank === 4 ? maskShape4(mask, scores.shape) : null;
  if (!shape4) {
    throw nativeErrors.kernelShape(
      MASKED_SOFTMAX,
      `mask [${mask.shape}] does not broadcast to scores [${scores.shape}]`,
    );
  }
  const maskF32 = mask4(mask, shape4);
  return withGradient(
    [scores],
    ([s]) => {
      const y = runKernel(MASKED_SOFTMAX, { scores: s, mask: maskF32 }, { scale })[0];
      return { value: y, saved: [y] };
    },
    (dy, [y]) => runKernel(MASKED_SOFTMAX_GRAD, { y, dy }, { scale }),
  );
}

/**
 * The rank-4 shape [Bm,Hm,Rm,C] of an additive mask (rank 1..4) for scores [B,H,R,C], each of Bm, Hm, Rm 1 or the
 * scores' size ([R,C], [B,1,R,C], [B,1,1,C], ...), as the softmax and attention kernels read it; null when the
 * mask does not broadcast that way.
 */
export function maskShape4(mask: Tensor, [b, h, r, c]: readonly number[]): number[] | null {
  if (mask.rank > 4) return null;
  const shape4 = [...new Array(4 - mask.rank).fill(1), ...mask.shape];
  const [mb, mh, mr, mc] = shape4;
  const fits = (m: number, n: number) => m === 1 || m === n;
  return mc === c && fits(mr, r) && fits(mb, b) && fits(mh, h) ? shape4 : null;
}

/** The mask reshaped to maskShape4's shape, as float32. */
export function mask4(mask: Tensor, shape4: number[]): Tensor {
  const m4 = mask.rank === 4 ? mask : reshape(mask, shape4);
  return m4.dtype === 'float32' ? m4 : cast(m4, 'float32');
}

/** table [V,H] gathered at int ids [...] -> [..., H]; the table's gradient is a scatter-add. */
export function nativeEmbedding(table: Tensor, ids: Tensor): Tensor {
  requireKernel(EMBEDDING);
  const ids32 = ids.dtype === 'int32' ? ids : cast(ids, 'int32');
  const vocab = table.shape[0];
  return withGradient(
    [table],
    ([t]) => ({ value: runKernel(EMBEDDING, { table: t, ids: ids32 })[0], saved: [ids32] }),
    (dy, [savedIds]) => runKernel(EMBEDDING_GRAD, { dy, ids: savedIds }, { vocab }),
  );
}

/**
 * The engine's seededDropout (x * the mask of dropoutMask(x.size, rate, seed); x itself at rate 0) with the mask
 * drawn in C: bit-identical in value and gradient (dy * the same mask). x must be float32.
 */
export function nativeSeededDropout(x: Tensor, rate: number, seed: number): Tensor {
  if (rate === 0) return x;
  requireKernel(DROPOUT);
  if (x.dtype !== 'float32' || !(rate > 0 && rate < 1)) {
    throw nativeErrors.kernelShape(DROPOUT, `needs float32 x and a rate in [0, 1), got ${x.dtype} and ${rate}`);
  }
  return withGradient(
    [x],
    ([xi]) => ({ value: runKernel(DROPOUT, { x: xi }, { rate, seed })[0], saved: [] }),
    (dy) => runKernel(DROPOUT, { x: dy }, { rate, seed }),
  );
}
