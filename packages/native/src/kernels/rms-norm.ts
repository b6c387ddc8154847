import { input, type NativeKernel, numAttr, sizeOf } from './native-kernel.js';

export const RMS_NORM = 'LookrightRmsNorm';
export const RMS_NORM_GRAD = 'LookrightRmsNormGrad';

/** x [..., H], w [H] -> [y [..., H], r [rows]] where r is the saved 1/rms per row. */
export const rmsNormKernel: NativeKernel = {
  kernelName: RMS_NORM,
  run(inputs, attrs, mem, addon) {
    const x = input(inputs, 'x', RMS_NORM);
    const w = input(inputs, 'w', RMS_NORM);
    const cols = x.shape[x.shape.length - 1];
    const rows = sizeOf(x.shape) / cols;
    const y = mem.alloc([...x.shape], 'float32');
    const r = mem.alloc([rows], 'float32');
    addon.rmsNormForward(mem.f32(x), mem.f32(w), mem.f32(y), mem.f32(r), rows, cols, numAttr(attrs, 'eps', RMS_NORM));
    return [y, r];
  },
};

/** (dy, x, w, r) -> [dx, dw]. */
export const rmsNormGradKernel: NativeKernel = {
  kernelName: RMS_NORM_GRAD,
  run(inputs, _attrs, mem, addon) {
    const dy = input(inputs, 'dy', RMS_NORM_GRAD);
    const x = input(inputs, 'x', RMS_NORM_GRAD);
    const w = input(inputs, 'w', RMS_NORM_GRAD);
    const r = input(inputs, 'r', RMS_NORM_GRAD);
    const cols = x.shape[x.shape.length - 1];
    const rows = sizeOf(x.shape) / cols;
    const dx = mem.alloc([...x.shape], 'float32');
    const dw = mem.alloc([...w.shape], 'float32');
    addon.rmsNormBackward(mem.f32(dy), mem.f32(x), mem.f32(w), mem.f32(r), mem.f32(dx), mem.f32(dw), rows, cols);
    return [dx, dw];
  },
};
