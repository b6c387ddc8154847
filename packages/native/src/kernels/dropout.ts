import { input, type NativeKernel, numAttr } from './native-kernel.js';

export const DROPOUT = 'LookrightDropout';

/**
 * x * mask for float32 x, the mask of the engine's seeded dropout (dropoutMask(x.size, rate, seed)) drawn in C
 * instead of a JS loop; attrs rate in (0, 1) and seed. The same kernel on dy with the same seed is the gradient.
 */
export const dropoutKernel: NativeKernel = {
  kernelName: DROPOUT,
  run(inputs, attrs, mem, addon) {
    const x = input(inputs, 'x', DROPOUT);
    const rate = numAttr(attrs, 'rate', DROPOUT);
    const seed = numAttr(attrs, 'seed', DROPOUT);
    if (x.dtype !== 'float32') return null;
    const out = mem.alloc([...x.shape], 'float32');
    addon.dropoutApply(mem.f32(x), mem.f32(out), seed >>> 0, rate * 2 ** 32, 1 / (1 - rate));
    return out;
  },
};
