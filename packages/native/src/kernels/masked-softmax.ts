import { input, type NativeKernel, numAttr, sizeOf } from './native-kernel.js';

export const MASKED_SOFTMAX = 'LookrightMaskedSoftmax';
export const MASKED_SOFTMAX_GRAD = 'LookrightMaskedSoftmaxGrad';

/**
 * scores [B,H,R,C], additive mask [Bm,Hm,Rm,C] (each of Bm, Hm, Rm either 1 or the scores' dim) ->
 * softmax(scale * scores + mask) over the last axis. attrs: scale.
 */
export const maskedSoftmaxKernel: NativeKernel = {
  kernelName: MASKED_SOFTMAX,
  run(inputs, attrs, mem, addon) {
    const scores = input(inputs, 'scores', MASKED_SOFTMAX);
    const mask = input(inputs, 'mask', MASKED_SOFTMAX);
    const [b, h, r, c] = scores.shape;
    const [mb, mh, mr] = mask.shape;
    const strideR = mr === 1 ? 0 : c;
    const strideH = mh === 1 ? 0 : mr * c;
    const strideB = mb === 1 ? 0 : mh * mr * c;
    const y = mem.alloc([...scores.shape], 'float32');
    const scale = numAttr(attrs, 'scale', MASKED_SOFTMAX);
    addon.maskedSoftmaxForward(
      mem.f32(scores),
      mem.f32(mask),
      mem.f32(y),
      b,
      h,
      r,
      c,
      strideB,
      strideH,
      strideR,
      scale,
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
    const scale = numAttr(attrs, 'scale', MASKED_SOFTMAX_GRAD);
    addon.maskedSoftmaxBackward(mem.f32(y), mem.f32(dy), mem.f32(ds), sizeOf(y.shape) / cols, cols, scale);
    return ds;
  },
};
