import { input, type NativeKernel, numAttr } from './native-kernel.js';

export const HEADS = 'LookrightHeads';

/** Modes of the heads kernel (see csrc/rope.cc). */
export const HeadsMode = { splitRotate: 0, unrotateMerge: 1, split: 2, merge: 3, rotate: 4, unrotate: 5 } as const;

/**
 * Head split/merge with optional RoPE. Split modes take x [B,S,H*D] and give [B,H,S,D]; merge modes
 * the reverse; rotate/unrotate keep x [B,S,H,D]. Rotating modes read cos/sin tables, row p at
 * p * tableStride (+ sinOffset for sin), D/2 values each. attrs: heads, mode, tableStride, sinOffset.
 */
export const headsKernel: NativeKernel = {
  kernelName: HEADS,
  run(inputs, attrs, mem, addon) {
    const x = input(inputs, 'x', HEADS);
    const mode = numAttr(attrs, 'mode', HEADS);
    const heads = numAttr(attrs, 'heads', HEADS);
    const split = mode === HeadsMode.splitRotate || mode === HeadsMode.split;
    const keep = mode === HeadsMode.rotate || mode === HeadsMode.unrotate;
    const rotate = mode !== HeadsMode.split && mode !== HeadsMode.merge;
    const [b, s, d] = keep
      ? [x.shape[0], x.shape[1], x.shape[3]]
      : split
        ? [x.shape[0], x.shape[1], x.shape[2] / heads]
        : [x.shape[0], x.shape[2], x.shape[3]];
    const shape = keep ? [...x.shape] : split ? [b, heads, s, d] : [b, s, heads * d];
    const y = mem.alloc(shape, 'float32');
    const xv = mem.f32(x);
    const cos = rotate ? mem.f32(input(inputs, 'cos', HEADS)) : xv;
    const sin = rotate ? mem.f32(input(inputs, 'sin', HEADS)) : xv;
    const stride = rotate ? numAttr(attrs, 'tableStride', HEADS) : d / 2;
    const sinOffset = rotate ? numAttr(attrs, 'sinOffset', HEADS) : 0;
    const perBatch = rotate && b > 1 && cos.length >= b * s * stride;
    addon.ropeSplitHeads(xv, mem.f32(y), cos, sin, b, s, heads, d, mode, perBatch, stride, sinOffset);
    return y;
  },
};
