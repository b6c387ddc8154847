import { input, type NativeKernel, numAttr, sizeOf } from './native-kernel.js';

export const ADAMW = 'LookrightAdamW';

/**
 * The float32 scalars of one AdamW update, each computed in float64 the way JavaScript computes it (see
 * adamwScalars); the kernel rounds each to float32 once, as a tfjs scalar operand is.
 */
export interface AdamWScalars {
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  /** 1 - beta1^t */
  correction1: number;
  /** 1 - beta2^t */
  correction2: number;
  eps: number;
  /** 1 - lr·weightDecay (1 for a parameter that is not decayed). */
  decay: number;
  lr: number;
  /** Multiplies the gradient first (global-norm clipping factor); 1 for none. */
  gradScale: number;
}

/** Argument order of the addon's adamwUpdate after the buffers and the length. */
export const ADAMW_SCALAR_ORDER = [
  'beta1',
  'oneMinusBeta1',
  'beta2',
  'oneMinusBeta2',
  'correction1',
  'correction2',
  'eps',
  'decay',
  'lr',
  'gradScale',
] as const satisfies readonly (keyof AdamWScalars)[];

/** (p, g, m, v) -> [p', m', v'] in fresh buffers: the out-of-place AdamW update. */
export const adamwKernel: NativeKernel = {
  kernelName: ADAMW,
  run(inputs, attrs, mem, addon) {
    const p = input(inputs, 'p', ADAMW);
    const g = input(inputs, 'g', ADAMW);
    const m = input(inputs, 'm', ADAMW);
    const v = input(inputs, 'v', ADAMW);
    const outs = [
      mem.alloc([...p.shape], 'float32'),
      mem.alloc([...p.shape], 'float32'),
      mem.alloc([...p.shape], 'float32'),
    ];
    const scalars = ADAMW_SCALAR_ORDER.map((k) => numAttr(attrs, k, ADAMW));
    const [pOut, mOut, vOut] = outs.map((t) => mem.f32(t));
    addon.adamwUpdate(mem.f32(p), mem.f32(g), mem.f32(m), mem.f32(v), pOut, mOut, vOut, sizeOf(p.shape), ...scalars);
    return outs;
  },
};
