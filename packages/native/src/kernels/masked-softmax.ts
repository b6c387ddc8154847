import { input, type NativeKernel, numAttr, sizeOf } from './native-kernel.js';

export const MASKED_SOFTMAX = 'LookrightMaskedSoftmax';
export const MASKED_SOFTMAX_GRAD = 'LookrightMaskedSoftmaxGrad';

/**
 * scores [B,H,R,C], additive mask [Bm,Hm,R,C] (Bm in {1,B}, Hm in {1,H}) ->
 * softmax(scale * scores + mask) over the last axis. attrs: scale.
 */
export const maskedSoftmaxKernel: NativeKernel = {
  kernelName: MASKED_SOFTMAX,
  run(inputs, attrs, mem, addon) {
    const scores = input(inputs, 'scores', MASKED_SOFTMAX);
    const mask = input(inputs, 'mask', MASKED_SOFTMAX);
    const [b, h, r, c] = scores.shape;
    const [mb, mh] = mask.shape;
    const y = mem.alloc([...scores.shape], 'float32');
    addon.maskedSoftmaxForward(
      mem.f32(scores),
      mem.f32(mask),
      mem.f32(y),
      b,
      h,
      r,
      c,
      mb,
      mh,
      numAttr(attrs, 'scale', MASKED_SOFTMAX),
    );
    return y;
  },
};

/** (y, dy) -> d(scores) = scale * y * (dy - sum(dy * y)). attrs: scale. */
export const maskedSoftmaxGradKernel: NativeKernel = {
  kernelName: MASKED_SOFTMAX_GRAD,
  run(inputs, attrs, mem, addon) {
    const y = input(inputs, 'y', MASKED_SOFTMAX_GRAD);
    const dy = input(inputs, 'dy', MASKED_SOFTMAX_GRAD);
    const cols = y.shape[y.shape.length - 1];
    const ds = mem.alloc([...y.shape], 'float32');
    addon.maskedSoftmaxBackward(
      mem.f32(y),
      mem.f32(dy),
      mem.f32(ds),
      sizeOf(y.shape) / cols,
      cols,
      numAttr(attrs, 'scale', MASKED_SOFTMAX_GRAD),
    );
    return ds;
  },
};
