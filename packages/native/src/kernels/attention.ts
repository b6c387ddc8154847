import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendMemory } from '../backend-memory.js';
import type { NativeKernel } from './native-kernel.js';
import { input, numAttr, sizeOf } from './native-kernel.js';

export const ATTENTION = 'LookrightAttention';
export const ATTENTION_GRAD = 'LookrightAttentionGrad';

/**
 * Sizes and RoPE settings both attention kernels read from q [B,S,H*D], k [B,S,KV*D] and their attributes. `tables`
 * gives the cos / sin views (q's data where there is no RoPE): call it after allocating the outputs, since an
 * allocation can move the wasm heap and detach earlier views.
 */
function dims(inputs: NamedTensorInfoMap, attrs: NamedAttrMap, mem: BackendMemory, kernel: string) {
  const q = input(inputs, 'q', kernel);
  const k = input(inputs, 'k', kernel);
  const heads = numAttr(attrs, 'heads', kernel);
  const kvHeads = numAttr(attrs, 'kvHeads', kernel);
  const [b, s, width] = q.shape;
  const d = width / heads;
  const rotate = inputs.cos !== undefined;
  const cos = rotate ? input(inputs, 'cos', kernel) : q;
  const sin = rotate ? input(inputs, 'sin', kernel) : q;
  const tableStride = rotate ? numAttr(attrs, 'tableStride', kernel) : 0;
  const sinOffset = rotate ? numAttr(attrs, 'sinOffset', kernel) : 0;
  const perBatch = rotate && b > 1 && sizeOf(cos.shape) >= b * s * tableStride;
  const tables = () => [mem.f32(cos), mem.f32(sin)] as const;
  return { q, k, b, s, heads, kvHeads, d, tables, rope: [rotate, perBatch, tableStride, sinOffset] as const };
}

/**
 * Grouped-query attention in the projections' layout (csrc/attention.cc): q [B,S,H*D], k and v [B,S,KV*D], an
 * additive mask [Bm,Hm,Rm,S] (each of Bm, Hm, Rm 1 or the full size), optional RoPE tables `cos` / `sin` (rows
 * `tableStride` apart, sin at `sinOffset`) -> [ctx [B,S,H*D], probs [B,H,S,S]]. attrs: heads, kvHeads, scale,
 * tableStride, sinOffset.
 */
export const attentionKernel: NativeKernel = {
  kernelName: ATTENTION,
  run(inputs, attrs, mem, addon) {
    const { q, k, b, s, heads, kvHeads, d, tables, rope } = dims(inputs, attrs, mem, ATTENTION);
    const v = input(inputs, 'v', ATTENTION);
    const mask = input(inputs, 'mask', ATTENTION);
    const [mb, mh, mr] = mask.shape;
    const strideR = mr === 1 ? 0 : s;
    const strideH = mh === 1 ? 0 : mr * s;
    const strideB = mb === 1 ? 0 : mh * mr * s;
    const ctx = mem.alloc([...q.shape], 'float32');
    const probs = mem.alloc([b, heads, s, s], 'float32');
    addon.attentionForward(
      mem.f32(q),
      mem.f32(k),
      mem.f32(v),
      mem.f32(mask),
      ...tables(),
      mem.f32(ctx),
      mem.f32(probs),
      b,
      s,
      heads,
      kvHeads,
      d,
      strideB,
      strideH,
      strideR,
      numAttr(attrs, 'scale', ATTENTION),
      ...rope,
    );
    return [ctx, probs];
  },
};

/** (dy [B,S,H*D], q, k, v, probs, optional cos / sin) -> [dq, dk, dv] in the inputs' layouts. attrs as forward. */
export const attentionGradKernel: NativeKernel = {
  kernelName: ATTENTION_GRAD,
  run(inputs, attrs, mem, addon) {
    const { q, k, b, s, heads, kvHeads, d, tables, rope } = dims(inputs, attrs, mem, ATTENTION_GRAD);
    const outs: TensorInfo[] = [
      mem.alloc([...q.shape], 'float32'),
      mem.alloc([...k.shape], 'float32'),
      mem.alloc([...k.shape], 'float32'),
    ];
    addon.attentionBackward(
      mem.f32(input(inputs, 'dy', ATTENTION_GRAD)),
      mem.f32(q),
      mem.f32(k),
      mem.f32(input(inputs, 'v', ATTENTION_GRAD)),
      mem.f32(input(inputs, 'probs', ATTENTION_GRAD)),
      ...tables(),
      ...(outs.map((t) => mem.f32(t)) as [Float32Array, Float32Array, Float32Array]),
      b,
      s,
      heads,
      kvHeads,
      d,
      numAttr(attrs, 'scale', ATTENTION_GRAD),
      ...rope,
    );
    return outs;
  },
};
