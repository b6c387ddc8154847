import { cast, reshape, type Tensor } from '@tensorflow/tfjs-core';
import { nativeErrors } from '../errors.js';
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

/**
 * [B,S,H*D] -> [B,H,S,D] with rotary embedding applied (HF rotate_half layout).
 * cos/sin: [S, D/2] for positions 0..S-1 shared by the batch, or [B*S, D/2] per row.
 */
export function nativeRopeSplitHeads(x: Tensor, cos: Tensor, sin: Tensor, heads: number): Tensor {
  requireKernel(HEADS);
  return withGradient(
    [x],
    ([xi]) => ({ value: runKernel(HEADS, { x: xi, cos, sin }, { heads, mode: HeadsMode.splitRotate })[0], saved: [] }),
    (dy) => runKernel(HEADS, { x: dy, cos, sin }, { heads, mode: HeadsMode.unrotateMerge }),
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
 * softmax(scale * scores + mask) over the last axis. scores [B,H,R,C]; mask additive, rank 2..4,
 * broadcast over batch and heads ([R,C], [B,1,R,C], [1,H,R,C], ...). The mask gets no gradient.
 */
export function nativeMaskedSoftmax(scores: Tensor, mask: Tensor, scale: number): Tensor {
  requireKernel(MASKED_SOFTMAX);
  const [b, h, r, c] = scores.shape;
  const m4 = mask.rank === 4 ? mask : reshape(mask, [...new Array(4 - mask.rank).fill(1), ...mask.shape]);
  const [mb, mh, mr, mc] = m4.shape;
  if (scores.rank !== 4 || mr !== r || mc !== c || (mb !== 1 && mb !== b) || (mh !== 1 && mh !== h)) {
    throw nativeErrors.kernelShape(
      MASKED_SOFTMAX,
      `mask [${mask.shape}] does not broadcast to scores [${scores.shape}]`,
    );
  }
  const maskF32 = m4.dtype === 'float32' ? m4 : cast(m4, 'float32');
  return withGradient(
    [scores],
    ([s]) => {
      const y = runKernel(MASKED_SOFTMAX, { scores: s, mask: maskF32 }, { scale })[0];
      return { value: y, saved: [y] };
    },
    (dy, [y]) => runKernel(MASKED_SOFTMAX_GRAD, { y, dy }, { scale }),
  );
}

/** table [V,H] gathered at int ids [...] -> [..., H]; the table's gradient is a scatter-add. */
export function nativeEmbedding(table: Tensor, ids: Tensor): Tensor {
  requireKernel(EMBEDDING);
  const ids32 = ids.dtype === 'int32' ? ids : cast(ids, 'int32');
  const vocab = table.shape[0];
  return withGradient(
    [table],
    ([t]) => ({ value: runKernel(EMBEDDING, { table: t, ids: ids32 })[0], saved: [] }),
    (dy) => runKernel(EMBEDDING_GRAD, { dy, ids: ids32 }, { vocab }),
  );
}
