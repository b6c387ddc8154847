import { input, type NativeKernel } from './native-kernel.js';

export const SUMS_OF_SQUARES = 'LookrightSumsOfSquares';

/**
 * The squared L2 norm of each input (named x0, x1, ...; float32), one scalar output each: tf.sum(tf.square(x)) bit
 * for bit on the backend in use (wasm adds in a float, cpu in a double rounded once), computed in one pass per
 * input with the inputs split over the kernel threads (global-norm clipping's per-gradient sums).
 */
export const sumsOfSquaresKernel: NativeKernel = {
  kernelName: SUMS_OF_SQUARES,
  run(inputs, _attrs, mem, addon) {
    const xs = Object.keys(inputs).map((_, i) => input(inputs, `x${i}`, SUMS_OF_SQUARES));
    if (xs.some((x) => x.dtype !== 'float32')) return null;
    const outs = xs.map(() => mem.alloc([], 'float32'));
    const sums = new Float32Array(xs.length);
    addon.sumsOfSquares(
      xs.map((x) => mem.f32(x)),
      sums,
      mem.backendName === 'cpu',
    );
    outs.forEach((o, i) => {
      mem.f32(o)[0] = sums[i];
    });
    return outs;
  },
};
