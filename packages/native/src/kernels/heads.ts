import { input, type NativeKernel, numAttr } from './native-kernel.js';

export const HEADS = 'LookrightHeads';

/** Modes of the heads kernel (see csrc/rope.cc). */
export const HeadsMode = { splitRotate: 0, unrotateMerge: 1, split: 2, merge: 3 } as const;

/**
 * Head split/merge with optional RoPE. Split modes take x [B,S,H*D] and give [B,H,S,D];
 * merge modes the reverse. Rotating modes read cos/sin [S, D/2] or [B*S, D/2].
 * attrs: heads, mode.
 */
export const headsKernel: NativeKernel = {
  kernelName: HEADS,
  run(inputs, attrs, mem, addon) {
    const x = input(inputs, 'x', HEADS);
    const mode = numAttr(attrs, 'mode', HEADS);
    const heads = numAttr(attrs, 'heads', HEADS);
    const split = mode === HeadsMode.splitRotate || mode === HeadsMode.split;
    const rotate = mode === HeadsMode.splitRotate || mode === HeadsMode.unrotateMerge;
    const [b, s, d] = split ? [x.shape[0], x.shape[1], x.shape[2] / heads] : [x.shape[0], x.shape[2], x.shape[3]];
    const y = mem.alloc(split ? [b, heads, s, d] : [b, s, heads * d], 'float32');
    const xv = mem.f32(x);
    const cos = rotate ? mem.f32(input(inputs, 'cos', HEADS)) : xv;
    const sin = rotate ? mem.f32(input(inputs, 'sin', HEADS)) : xv;
    const perBatch = rotate && cos.length === b * s * (d / 2) && b > 1;
    addon.ropeSplitHeads(xv, mem.f32(y), cos, sin, b, s, heads, d, mode, perBatch);
    return y;
  },
};
