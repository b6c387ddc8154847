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
import { runProgram, wgslFloat } from './webgpu-program.js';
import {
  BLOCK,
  LOADS,
  stageTileBWgsl,
  THREADS,
  TILE_K,
  TiledMatMulProgram,
  type TiledMatMulShader,
} from './webgpu-tiled-matmul.js';

/**
 * The tfjs kernel name; inputs `x` (f32 [M, K]), `w` (packed int32) and, for nf4, `scales` (f32), attrs `format`
 * and `transposed`.
 */
export const MATMUL16_KERNEL = 'LookrightMatMul16';

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
const loadB = stageTileBWgsl('if (gi < inner && gj < cols) { b = weightAt(gi, gj); }');

/** Stages W^T's 16 × 64 tile: B(i, j) = W[j, i], one half per element (consecutive j sit in different rows of W). */
const loadTransposedB = stageTileBWgsl('if (gi < inner && gj < cols) { b = weightAt(gj, gi); }');

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

/** out[m, j] = Σ_i x[m, i] · B(i, j), B = W or W^T widened to f32 as it is staged. */
class MatMul16Program extends TiledMatMulProgram {
  constructor(
    outputShape: [number, number],
    readonly format: PackedFormat,
    readonly transposed: boolean,
  ) {
    super(outputShape, format === 'nf4' ? ['A', 'W', 'S'] : ['A', 'W'], `lookrightMatMul16_${format}_${transposed}`);
  }

  protected shader(): TiledMatMulShader {
    return {
      helpers: weightAt[this.format],
      dims: 'let rows = uniforms.aShape.x; let inner = uniforms.aShape.y; let cols = uniforms.outShape.y;',
      depth: 'inner',
      fillA: 'if (gr < rows && gc < inner) { a = A[gr * inner + gc]; }',
      stageB: this.transposed ? loadTransposedB : this.format === 'nf4' ? loadB : loadPairsOfB,
    };
  }
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
      return runProgram(backend, program, programInputs);
    },
  });
}
