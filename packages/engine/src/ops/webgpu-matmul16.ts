/**
 * The 16-bit-weight matmul for tfjs-backend-webgpu: y = x @ W (or y = x @ W^T) where W is a frozen [in, out] weight
 * stored as halves packed two per 32-bit word (an int32 tensor [in, ceil(out / 2)], see ops/half-precision.ts). Each
 * weight is widened to f32 as it is read (bf16: a 16-bit shift; f16: WGSL's unpack2x16float, core WGSL, so no
 * shader-f16 feature is needed) and every product is accumulated in f32. A 16 × 16 tiled kernel: each invocation
 * computes one output, reading tiles of x and W through workgroup memory.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { HalfFormat } from './half-precision.js';

/** The tfjs kernel name; inputs `x` (f32 [M, K]) and `w` (packed int32), attrs `format` and `transposed`. */
export const MATMUL16_KERNEL = 'LookrightMatMul16';

const TILE = 16;

/** Widens the half at logical [r, c] of W (r < wShape.x, c < 2 · wShape.y). */
const widen: Record<HalfFormat, string> = {
  bf16: `
  fn weightAt(r : i32, c : i32) -> f32 {
    let word = bitcast<u32>(W[r * uniforms.wShape.y + c / 2]);
    var bits = word & 0xffffu;
    if ((c & 1) == 1) { bits = word >> 16u; }
    return bitcast<f32>(bits << 16u);
  }`,
  f16: `
  fn weightAt(r : i32, c : i32) -> f32 {
    let pair = unpack2x16float(bitcast<u32>(W[r * uniforms.wShape.y + c / 2]));
    if ((c & 1) == 1) { return pair.y; }
    return pair.x;
  }`,
};

/** A WebGPUProgram (tfjs-backend-webgpu 4.22's interface) for out[m, j] = Σ_i x[m, i] · B(i, j). */
class MatMul16Program {
  variableNames = ['A', 'W'];
  workgroupSize: [number, number, number] = [TILE, TILE, 1];
  dispatchLayout = { x: [1], y: [0] };
  dispatch: [number, number, number];
  shaderKey: string;

  constructor(
    readonly outputShape: [number, number],
    readonly format: HalfFormat,
    readonly transposed: boolean,
  ) {
    this.dispatch = [Math.ceil(outputShape[1] / TILE), Math.ceil(outputShape[0] / TILE), 1];
    this.shaderKey = `lookrightMatMul16_${format}_${transposed}`;
  }

  getUserCode(): string {
    const readB = this.transposed ? 'weightAt(j, i)' : 'weightAt(i, j)';
    return `
  var<workgroup> tileA : array<array<f32, ${TILE}>, ${TILE}>;
  var<workgroup> tileB : array<array<f32, ${TILE}>, ${TILE}>;
  ${widen[this.format]}
  fn readB(i : i32, j : i32) -> f32 { return ${readB}; }

  fn main() {
    let row = i32(globalId.y);
    let col = i32(globalId.x);
    let lr = i32(localId.y);
    let lc = i32(localId.x);
    let rows = uniforms.aShape.x;
    let inner = uniforms.aShape.y;
    let cols = uniforms.outShape.y;
    var acc = 0.0;
    let tiles = (inner + ${TILE - 1}) / ${TILE};
    for (var t = 0; t < tiles; t = t + 1) {
      let ka = t * ${TILE} + lc;
      var a = 0.0;
      if (row < rows && ka < inner) { a = A[row * inner + ka]; }
      tileA[lr][lc] = a;
      let kb = t * ${TILE} + lr;
      var b = 0.0;
      if (kb < inner && col < cols) { b = readB(kb, col); }
      tileB[lr][lc] = b;
      workgroupBarrier();
      for (var k = 0; k < ${TILE}; k = k + 1) {
        acc = acc + tileA[lr][k] * tileB[k][lc];
      }
      workgroupBarrier();
    }
    if (row < rows && col < cols) {
      result[row * cols + col] = acc;
    }
  }`;
  }
}

interface WebgpuBackendLike {
  runWebGPUProgram(program: MatMul16Program, inputs: tf.TensorInfo[], dtype: tf.DataType): tf.TensorInfo;
}

/**
 * Registers the kernel for the `webgpu` backend (once; called by startWebgpu). The output is [M, out] for x @ W
 * and [M, in] for x @ W^T (`transposed`), where W's logical shape [in, out] is given by attr `outFeatures`.
 */
export function registerMatMul16Kernel(): void {
  if (tf.getKernel(MATMUL16_KERNEL, 'webgpu')) return;
  tf.registerKernel({
    kernelName: MATMUL16_KERNEL,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, w } = inputs as { x: tf.TensorInfo; w: tf.TensorInfo };
      const { format, transposed, outFeatures } = attrs as unknown as {
        format: HalfFormat;
        transposed: boolean;
        outFeatures: number;
      };
      const [inFeatures] = w.shape;
      const outputShape: [number, number] = [x.shape[0], transposed ? inFeatures : outFeatures];
      const program = new MatMul16Program(outputShape, format, transposed);
      return (backend as unknown as WebgpuBackendLike).runWebGPUProgram(program, [x, w], 'float32');
    },
  });
}
