/**
 * RMSNorm as fused WGSL kernels for the webgpu backend (the engine's `rmsNorm` contract and gradient, see
 * rms-norm.ts). Forward: one workgroup per row sums x² and writes r = 1 / sqrt(mean(x²) + eps), then one
 * invocation per element writes y = x r w. Backward: one workgroup per row sums g xhat (g = dy w, xhat = x r) and
 * writes dx = r (g - xhat mean(g xhat)); one workgroup per column sums dy xhat over the rows for dw (64 strided
 * partial sums, then a tree: a sequential f32 sum over many rows loses digits).
 */
import * as tf from '@tensorflow/tfjs-core';
import { isTrainable, withCustomGradient } from './custom-gradient.js';
import { ElementwiseProgram, ROW_WORKGROUP, RowProgram, runProgram, wgslFloat, withShape } from './webgpu-program.js';

/** Forward kernel: inputs x [..., H], w [H]; attr eps; outputs y (x's shape) and r [rows]. */
export const RMS_NORM_WEBGPU = 'LookrightWebgpuRmsNorm';
/** Backward kernel: inputs dy, x, w, r; attr trainWeight; outputs dx and, when trainWeight, dw [H]. */
export const RMS_NORM_GRAD_WEBGPU = 'LookrightWebgpuRmsNormGrad';

const inverseRms = (rows: number, eps: number) =>
  new RowProgram(
    ['X'],
    [rows],
    rows,
    `lookrightRmsNormR_${eps}`,
    `
    let cols = uniforms.xShape.y;
    var s = 0.0;
    if (row < uniforms.outShape) {
      for (var c = lane; c < cols; c = c + ${ROW_WORKGROUP}) { let v = X[row * cols + c]; s = s + v * v; }
    }
    let total = workgroupSum(s);
    if (row < uniforms.outShape && lane == 0) { result[row] = 1.0 / sqrt(total / f32(cols) + ${wgslFloat(eps)}); }`,
  );

const scaleRows = (shape: number[]) =>
  new ElementwiseProgram(
    ['X', 'R', 'W'],
    shape,
    'lookrightRmsNormY',
    'let cols = uniforms.wShape; result[index] = X[index] * R[index / cols] * W[index % cols];',
  );

const inputGradient = (rows: number, cols: number) =>
  new RowProgram(
    ['DY', 'X', 'W', 'R'],
    [rows, cols],
    rows,
    'lookrightRmsNormDx',
    `
    let cols = uniforms.xShape.y;
    let inside = row < uniforms.outShape.x;
    var r = 0.0;
    if (inside) { r = R[row]; }
    var s = 0.0;
    if (inside) {
      for (var c = lane; c < cols; c = c + ${ROW_WORKGROUP}) { let i = row * cols + c; s = s + DY[i] * W[c] * (X[i] * r); }
    }
    let meanGXhat = workgroupSum(s) / f32(cols);
    if (inside) {
      for (var c = lane; c < cols; c = c + ${ROW_WORKGROUP}) {
        let i = row * cols + c;
        result[i] = r * (DY[i] * W[c] - (X[i] * r) * meanGXhat);
      }
    }`,
  );

/** One workgroup per column: each invocation sums a strided share of the rows, then a tree over the workgroup. */
const weightGradient = (cols: number) =>
  new RowProgram(
    ['DY', 'X', 'R'],
    [cols],
    cols,
    'lookrightRmsNormDw',
    `
    let cols = uniforms.outShape;
    let rows = uniforms.rShape;
    var s = 0.0;
    if (row < cols) {
      for (var r = lane; r < rows; r = r + ${ROW_WORKGROUP}) { let i = r * cols + row; s = s + DY[i] * (X[i] * R[r]); }
    }
    let total = workgroupSum(s);
    if (row < cols && lane == 0) { result[row] = total; }`,
  );

/** Registers both kernels for the webgpu backend (once). */
export function registerRmsNormKernels(): void {
  if (tf.getKernel(RMS_NORM_WEBGPU, 'webgpu')) return;
  tf.registerKernel({
    kernelName: RMS_NORM_WEBGPU,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, w } = inputs as { x: tf.TensorInfo; w: tf.TensorInfo };
      const cols = w.shape[0];
      const rows = x.shape.reduce((a, b) => a * b, 1) / cols;
      const x2 = withShape(x, [rows, cols]);
      const r = runProgram(backend, inverseRms(rows, (attrs as { eps: number }).eps), [x2]);
      const y = runProgram(backend, scaleRows(x.shape), [x, r, w]);
      return [y, r];
    },
  });
  tf.registerKernel({
    kernelName: RMS_NORM_GRAD_WEBGPU,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, x, w, r } = inputs as Record<'dy' | 'x' | 'w' | 'r', tf.TensorInfo>;
      const cols = w.shape[0];
      const rows = r.shape[0];
      const [dy2, x2] = [withShape(dy, [rows, cols]), withShape(x, [rows, cols])];
      const dx = runProgram(backend, inputGradient(rows, cols), [dy2, x2, w, r]);
      const dxShaped = withShape(dx, x.shape);
      if (!(attrs as { trainWeight: boolean }).trainWeight) return [dxShaped];
      return [dxShaped, runProgram(backend, weightGradient(cols), [dy2, x2, r])];
    },
  });
}

/** The engine's rmsNorm on the fused kernels: same contract (the weight gets a gradient when trainable). */
export function webgpuRmsNorm(x: tf.Tensor, weight: tf.Tensor1D, eps: number): tf.Tensor {
  const trainWeight = isTrainable(weight);
  const inputs: tf.Tensor[] = trainWeight ? [x, weight] : [x];
  return withCustomGradient(
    inputs,
    ([xs]) => {
      const [y, r] = tf.engine().runKernel(RMS_NORM_WEBGPU, { x: xs, w: weight }, { eps }) as tf.Tensor[];
      return { value: y, saved: [xs, weight, r] };
    },
    (dy, [xs, w, r]) =>
      tf.engine().runKernel(RMS_NORM_GRAD_WEBGPU, { dy, x: xs, w, r }, { trainWeight }) as tf.Tensor[],
  );
}
