/**
 * The packed-weight matmul for tfjs-backend-webgpu: y = x @ W (or y = x @ W^T) where W is a frozen [in, out] weight
 * stored as halves packed two per 32-bit word (an int32 tensor [in, ceil(out / 2)], see ops/half-precision.ts), or
 * as NF4 codes eight per word with f32 absmax scales per block of 64 rows (ops/nf4.ts). Each weight is widened to f32
 * as it is read (bf16: a 16-bit shift; f16: WGSL's unpack2x16float, core WGSL, so no shader-f16 feature is needed;
 * nf4: its level times its block's absmax) and every product is accumulated in f32. Register-tiled: a workgroup of 16 × 16
 * invocations computes a 64 × 64 block of the output, 4 × 4 outputs each, from 64 × 16 tiles of x and 16 × 64 tiles of
 * widened W staged in workgroup memory.
 */
import * as tf from '@tensorflow/tfjs-core';
import { NF4_BLOCK, NF4_LEVELS } from './nf4.js';
import type { PackedFormat } from './packed-kernel.js';
import { wgslFloat } from './webgpu-program.js';
import { BLOCK, PER_THREAD, storeResultWgsl, THREADS, TILE_K, tileProductWgsl } from './webgpu-tiled-matmul.js';

/**
 * The tfjs kernel name; inputs `x` (f32 [M, K]), `w` (packed int32) and, for nf4, `scales` (f32), attrs `format`
 * and `transposed`.
 */
export const MATMUL16_KERNEL = 'LookrightMatMul16';

/** Elements of each tile every invocation loads: (BLOCK × TILE_K) / THREADS². */
const LOADS = (BLOCK * TILE_K) / (THREADS * THREADS);

/** Widens the two halves of a word of W: x the low 16 bits (even column), y the high (odd column). */
const widen: Record<'bf16' | 'f16', string> = {
  bf16: `
  fn widenPair(word : u32) -> vec2<f32> {
    return vec2<f32>(bitcast<f32>(word << 16u), bitcast<f32>(word & 0xffff0000u));
  }`,
  f16: `
  fn widenPair(word : u32) -> vec2<f32> { return unpack2x16float(word); }`,
};

/** Reads W(r, c) widened to f32, from 16-bit halves or from an NF4 code and its block's scale. */
const weightAt: Record<PackedFormat, string> = {
  bf16: halfWeightAt(widen.bf16),
  f16: halfWeightAt(widen.f16),
  nf4: `
  var<private> NF4 : array<f32, 16> = array<f32, 16>(${NF4_LEVELS.map(wgslFloat).join(', ')});
  fn weightAt(r : i32, c : i32) -> f32 {
    let word = bitcast<u32>(W[r * uniforms.wShape.y + c / 8]);
    let code = (word >> (4u * u32(c & 7))) & 15u;
    return NF4[code] * S[(r / ${NF4_BLOCK}) * uniforms.sShape.y + c];
  }`,
};

function halfWeightAt(widenPair: string): string {
  return `${widenPair}
  fn weightAt(r : i32, c : i32) -> f32 {
    let pair = widenPair(bitcast<u32>(W[r * uniforms.wShape.y + c / 2]));
    if ((c & 1) == 1) { return pair.y; }
    return pair.x;
  }`;
}

/** Stages W's 16 × 64 tile one weight at a time: B(i, j) = W[i, j] (NF4: eight columns share a word). */
const loadB = `
      for (var i = 0; i < ${LOADS}; i = i + 1) {
        let e = flat + i * ${THREADS * THREADS};
        let rb = e / ${BLOCK};
        let cb = e % ${BLOCK};
        let gi = t * ${TILE_K} + rb;
        let gj = colBase + cb;
        var b = 0.0;
        if (gi < inner && gj < cols) { b = weightAt(gi, gj); }
        tileB[rb][cb] = b;
      }`;

/** Stages W^T's 16 × 64 tile: B(i, j) = W[j, i], one half per element (consecutive j sit in different rows of W). */
const loadTransposedB = `
      for (var i = 0; i < ${LOADS}; i = i + 1) {
        let e = flat + i * ${THREADS * THREADS};
        let rb = e / ${BLOCK};
        let cb = e % ${BLOCK};
        let gi = t * ${TILE_K} + rb;
        let gj = colBase + cb;
        var b = 0.0;
        if (gi < inner && gj < cols) { b = weightAt(gj, gi); }
        tileB[rb][cb] = b;
      }`;

/** Stages W's 16 × 64 tile a word (two halves of one row) at a time: B(i, j) = W[i, j]. */
const loadPairsOfB = `
      for (var i = 0; i < ${LOADS / 2}; i = i + 1) {
        let e = flat + i * ${THREADS * THREADS};
        let rb = e / ${BLOCK / 2};
        let cb = (e % ${BLOCK / 2}) * 2;
        let gi = t * ${TILE_K} + rb;
        let gj = colBase + cb;
        var pair = vec2<f32>(0.0, 0.0);
        if (gi < inner && gj < cols) { pair = widenPair(bitcast<u32>(W[gi * uniforms.wShape.y + gj / 2])); }
        tileB[rb][cb] = pair.x;
        tileB[rb][cb + 1] = pair.y;
      }`;

/** A WebGPUProgram (tfjs-backend-webgpu 4.22's interface) for out[m, j] = Σ_i x[m, i] · B(i, j). */
class MatMul16Program {
  variableNames: string[];
  workgroupSize: [number, number, number] = [THREADS, THREADS, 1];
  dispatchLayout = { x: [1], y: [0] };
  dispatch: [number, number, number];
  shaderKey: string;

  constructor(
    readonly outputShape: [number, number],
    readonly format: PackedFormat,
    readonly transposed: boolean,
  ) {
    this.variableNames = format === 'nf4' ? ['A', 'W', 'S'] : ['A', 'W'];
    this.dispatch = [Math.ceil(outputShape[1] / BLOCK), Math.ceil(outputShape[0] / BLOCK), 1];
    this.shaderKey = `lookrightMatMul16_${format}_${transposed}`;
  }

  getUserCode(): string {
    return `
  var<workgroup> tileA : array<array<f32, ${TILE_K}>, ${BLOCK}>;
  var<workgroup> tileB : array<array<f32, ${BLOCK}>, ${TILE_K}>;
  ${weightAt[this.format]}

  fn main() {
    let tx = i32(localId.x);
    let ty = i32(localId.y);
    let flat = ty * ${THREADS} + tx;
    let rowBase = i32(workgroupId.y) * ${BLOCK};
    let colBase = i32(workgroupId.x) * ${BLOCK};
    let rows = uniforms.aShape.x;
    let inner = uniforms.aShape.y;
    let cols = uniforms.outShape.y;
    var acc : array<vec4<f32>, ${PER_THREAD}>;
    let tiles = (inner + ${TILE_K - 1}) / ${TILE_K};
    for (var t = 0; t < tiles; t = t + 1) {
      for (var i = 0; i < ${LOADS}; i = i + 1) {
        let e = flat + i * ${THREADS * THREADS};
        let r = e / ${TILE_K};
        let c = e % ${TILE_K};
        let gr = rowBase + r;
        let gc = t * ${TILE_K} + c;
        var a = 0.0;
        if (gr < rows && gc < inner) { a = A[gr * inner + gc]; }
        tileA[r][c] = a;
      }
      ${this.transposed ? loadTransposedB : this.format === 'nf4' ? loadB : loadPairsOfB}
      workgroupBarrier();
      ${tileProductWgsl}
      workgroupBarrier();
    }
    ${storeResultWgsl()}
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
      const { x, w, scales } = inputs as { x: tf.TensorInfo; w: tf.TensorInfo; scales?: tf.TensorInfo };
      const { format, transposed, outFeatures } = attrs as unknown as {
        format: PackedFormat;
        transposed: boolean;
        outFeatures: number;
      };
      const [inFeatures] = w.shape;
      const outputShape: [number, number] = [x.shape[0], transposed ? inFeatures : outFeatures];
      const program = new MatMul16Program(outputShape, format, transposed);
      const programInputs = format === 'nf4' ? [x, w, scales!] : [x, w];
      return (backend as unknown as WebgpuBackendLike).runWebGPUProgram(program, programInputs, 'float32');
    },
  });
}
