import { input, type NativeKernel, numAttr, sizeOf } from './native-kernel.js';

export const ADAMW = 'LookrightAdamW';

/** Hyper-parameters of one AdamW step (PyTorch's AdamW formula). */
export interface AdamWStepAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 1-based step count used for bias correction. */
  step: number;
  /** Multiplies the gradient first (global-norm clipping factor); 1 for none. */
  gradScale: number;
}

/** (p, g, m, v) -> [p', m', v'] in fresh buffers: the out-of-place AdamW step. */
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
    const a = (k: keyof AdamWStepAttrs) => numAttr(attrs, k, ADAMW);
    addon.adamwStep(
      mem.f32(p),
      mem.f32(g),
      mem.f32(m),
      mem.f32(v),
      mem.f32(outs[0]),
      mem.f32(outs[1]),
      mem.f32(outs[2]),
      sizeOf(p.shape),
      a('lr'),
      a('beta1'),
      a('beta2'),
      a('eps'),
      a('weightDecay'),
      a('step'),
      a('gradScale'),
    );
    return outs;
  },
};
