import { input, type NativeKernel, sizeOf } from './native-kernel.js';

export const SWIGLU = 'LookrightSwiglu';
export const SWIGLU_GRAD = 'LookrightSwigluGrad';

/** gu [..., 2I] (gate | up) -> y [..., I] = silu(gate) * up. */
export const swigluKernel: NativeKernel = {
  kernelName: SWIGLU,
  run(inputs, _attrs, mem, addon) {
    const gu = input(inputs, 'gu', SWIGLU);
    const inter = gu.shape[gu.shape.length - 1] / 2;
    const rows = sizeOf(gu.shape) / (2 * inter);
    const y = mem.alloc([...gu.shape.slice(0, -1), inter], 'float32');
    addon.swigluForward(mem.f32(gu), mem.f32(y), rows, inter);
    return y;
  },
};

/** (gu, dy) -> dgu. */
export const swigluGradKernel: NativeKernel = {
  kernelName: SWIGLU_GRAD,
  run(inputs, _attrs, mem, addon) {
    const gu = input(inputs, 'gu', SWIGLU_GRAD);
    const dy = input(inputs, 'dy', SWIGLU_GRAD);
    const inter = gu.shape[gu.shape.length - 1] / 2;
    const rows = sizeOf(gu.shape) / (2 * inter);
    const dgu = mem.alloc([...gu.shape], 'float32');
    addon.swigluBackward(mem.f32(gu), mem.f32(dy), mem.f32(dgu), rows, inter);
    return dgu;
  },
};
