/**
 * The masked softmax of attention as fused WGSL kernels for the webgpu backend (the engine's `maskedSoftmax`, see
 * masked-softmax.ts): one workgroup per row of scores [B, H, R, C]. Forward: the row's largest logit
 * scale · s + bias, the sum of exp(logit - largest), then y = exp(logit - largest) / sum. Backward: the row's
 * sum of dy · y, then dx = (y (dy - sum)) · scale. The scale is baked into the shader (no scalar upload); the
 * additive bias broadcasts over batch, heads and rows ([B, 1, R, C], [B, 1, 1, C], [R, C], ...).
 */
import * as tf from '@tensorflow/tfjs-core';
import { withCustomGradient } from './custom-gradient.js';
import { maskedSoftmax } from './masked-softmax.js';
import { ROW_WORKGROUP, RowProgram, runProgram, wgslFloat, withShape } from './webgpu-program.js';

/** Forward kernel: inputs scores [B, H, R, C] and bias (rank 4, broadcastable); attr scale. */
export const MASKED_SOFTMAX_WEBGPU = 'LookrightWebgpuMaskedSoftmax';
/** Backward kernel: inputs y and dy [B, H, R, C]; attr scale. */
export const MASKED_SOFTMAX_GRAD_WEBGPU = 'LookrightWebgpuMaskedSoftmaxGrad';

/** Row index and column count of a [B, H, R, C] output, and whether this workgroup's row exists. */
const rowHeader = `
    let shape = uniforms.outShape;
    let cols = shape.w;
    let inside = row < shape.x * shape.y * shape.z;`;

const forward = (shape: number[], scale: number) =>
  new RowProgram(
    ['S', 'Bias'],
    shape,
    shape[0] * shape[1] * shape[2],
    `lookrightMaskedSoftmax_${scale}`,
    `${rowHeader}
    var biasRow = 0;
    if (inside) {
      let b = row / (shape.y * shape.z);
      let h = (row / shape.z) % shape.y;
      let r = row % shape.z;
      let bs = uniforms.biasShape;
      biasRow = ((select(0, b, bs.x > 1) * bs.y + select(0, h, bs.y > 1)) * bs.z + select(0, r, bs.z > 1)) * cols;
    }
    var largest = -uniforms.INFINITY;
    if (inside) {
      for (var c = lane; c < cols; c = c + ${ROW_WORKGROUP}) {
        largest = max(largest, S[row * cols + c] * ${wgslFloat(scale)} + Bias[biasRow + c]);
      }
    }
    let rowMax = workgroupMax(largest);
    var s = 0.0;
    if (inside) {
      for (var c = lane; c < cols; c = c + ${ROW_WORKGROUP}) {
        s = s + exp(S[row * cols + c] * ${wgslFloat(scale)} + Bias[biasRow + c] - rowMax);
      }
    }
    let total = workgroupSum(s);
    if (inside) {
      for (var c = lane; c < cols; c = c + ${ROW_WORKGROUP}) {
        result[row * cols + c] = exp(S[row * cols + c] * ${wgslFloat(scale)} + Bias[biasRow + c] - rowMax) / total;
      }
    }`,
  );

const backward = (shape: number[], scale: number) =>
  new RowProgram(
    ['Y', 'DY'],
    shape,
    shape[0] * shape[1] * shape[2],
    `lookrightMaskedSoftmaxGrad_${scale}`,
    `${rowHeader}
    var s = 0.0;
    if (inside) {
      for (var c = lane; c < cols; c = c + ${ROW_WORKGROUP}) { let i = row * cols + c; s = s + DY[i] * Y[i]; }
    }
    let total = workgroupSum(s);
    if (inside) {
      for (var c = lane; c < cols; c = c + ${ROW_WORKGROUP}) {
        let i = row * cols + c;
        result[i] = (Y[i] * (DY[i] - total)) * ${wgslFloat(scale)};
      }
    }`,
  );

/** Registers both kernels for the webgpu backend (once). */
export function registerMaskedSoftmaxKernels(): void {
  if (tf.getKernel(MASKED_SOFTMAX_WEBGPU, 'webgpu')) return;
  tf.registerKernel({
    kernelName: MASKED_SOFTMAX_WEBGPU,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { scores, bias } = inputs as Record<'scores' | 'bias', tf.TensorInfo>;
      const bias4 = withShape(bias, [...new Array(4 - bias.shape.length).fill(1), ...bias.shape]);
      return runProgram(backend, forward(scores.shape, (attrs as { scale: number }).scale), [scores, bias4]);
    },
  });
  tf.registerKernel({
    kernelName: MASKED_SOFTMAX_GRAD_WEBGPU,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { y, dy } = inputs as Record<'y' | 'dy', tf.TensorInfo>;
      return runProgram(backend, backward(y.shape, (attrs as { scale: number }).scale), [y, dy]);
    },
  });
}

/** Whether `bias` (float32, rank <= 4) broadcasts to scores [B, H, R, C] along batch, heads and rows. */
function broadcasts(scores: tf.Tensor, bias: tf.Tensor): boolean {
  if (scores.rank !== 4 || bias.rank > 4 || bias.dtype !== 'float32') return false;
  const padded = [...new Array(4 - bias.rank).fill(1), ...bias.shape];
  return padded[3] === scores.shape[3] && padded.slice(0, 3).every((m, i) => m === 1 || m === scores.shape[i]);
}

/** The engine's maskedSoftmax on the fused kernels; a bias that does not broadcast this way takes the tfjs ops. */
export function webgpuMaskedSoftmax(scores: tf.Tensor, bias: tf.Tensor, scale: number): tf.Tensor {
  if (!broadcasts(scores, bias)) return maskedSoftmax(scores, bias, scale);
  return withCustomGradient(
    [scores],
    ([s]) => {
      const y = tf.engine().runKernel(MASKED_SOFTMAX_WEBGPU, { scores: s, bias }, { scale }) as tf.Tensor;
      return { value: y, saved: [y] };
    },
    (dy, [y]) => [tf.engine().runKernel(MASKED_SOFTMAX_GRAD_WEBGPU, { y, dy }, { scale }) as tf.Tensor],
  );
}
