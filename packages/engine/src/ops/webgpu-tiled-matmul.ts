/**
 * The register tiling shared by lookright's WGSL matmul kernels (16/4-bit weights, fused LoRA): 16 × 16
 * invocations, each computing 4 × 4 outputs strided by 16 (a vec4 accumulator per row), so a 64 × 64 output block
 * per workgroup; x and W tiles of depth TILE_K staged in workgroup memory. PER_THREAD is fixed at 4 by the vec4.
 * `TiledMatMulProgram` holds the dispatch and the shader's skeleton (staging of the left tile, the tile product, the
 * store); a kernel supplies only how it reads its operands (`TiledMatMulShader`).
 */
import type { WebgpuProgram } from './webgpu-program.js';

export const THREADS = 16;
const PER_THREAD = 4;
export const BLOCK = THREADS * PER_THREAD;
/** Depth of the x and W tiles staged in workgroup memory per step along the inner dimension. */
export const TILE_K = 16;
/** Elements of each tile every invocation loads: (BLOCK × TILE_K) / THREADS². */
export const LOADS = (BLOCK * TILE_K) / (THREADS * THREADS);

/** WGSL: the staged tiles' product added into `acc` (between the two barriers of one step along the inner dim). */
const tileProductWgsl = `
      for (var k = 0; k < ${TILE_K}; k = k + 1) {
        let bk = vec4<f32>(tileB[k][tx], tileB[k][tx + ${THREADS}], tileB[k][tx + ${2 * THREADS}], tileB[k][tx + ${3 * THREADS}]);
        for (var i = 0; i < ${PER_THREAD}; i = i + 1) {
          acc[i] = fma(vec4<f32>(tileA[ty + i * ${THREADS}][k]), bk, acc[i]);
        }
      }`;

/** WGSL: each invocation's 4 × 4 outputs written to `result` ([rows, cols]), plus `addend` (e.g. ` + Bias[c]`). */
function storeResultWgsl(addend = ''): string {
  return `
    for (var i = 0; i < ${PER_THREAD}; i = i + 1) {
      let r = rowBase + ty + i * ${THREADS};
      for (var j = 0; j < ${PER_THREAD}; j = j + 1) {
        let c = colBase + tx + j * ${THREADS};
        if (r < rows && c < cols) { result[r * cols + c] = acc[i][j]${addend}; }
      }
    }`;
}

/**
 * WGSL: stages the left operand's 64 × 16 tile for step `t`, one element per load; `fill` sets `a` (0.0 outside
 * the operand) to element (gr, gc).
 */
function stageTileAWgsl(fill: string): string {
  return `
      for (var i = 0; i < ${LOADS}; i = i + 1) {
        let e = flat + i * ${THREADS * THREADS};
        let r = e / ${TILE_K};
        let c = e % ${TILE_K};
        let gr = rowBase + r;
        let gc = t * ${TILE_K} + c;
        var a = 0.0;
        ${fill}
        tileA[r][c] = a;
      }`;
}

/**
 * WGSL: stages the right operand's 16 × 64 tile for step `t`, one element per load; `fill` sets `b` (0.0 outside
 * the operand) to element (gi, gj).
 */
export function stageTileBWgsl(fill: string): string {
  return `
      for (var i = 0; i < ${LOADS}; i = i + 1) {
        let e = flat + i * ${THREADS * THREADS};
        let rb = e / ${BLOCK};
        let cb = e % ${BLOCK};
        let gi = t * ${TILE_K} + rb;
        let gj = colBase + cb;
        var b = 0.0;
        ${fill}
        tileB[rb][cb] = b;
      }`;
}

/** What one tiled matmul kernel adds to the shared shader: how it reads its operands and ends each output. */
export interface TiledMatMulShader {
  /** WGSL before main: helper functions and private tables (e.g. widening a packed weight). */
  helpers?: string;
  /** WGSL in main binding `rows`, `inner` and `cols` (and whatever else the loads read) from the uniforms. */
  dims: string;
  /** WGSL expression: the length of the summed dimension (e.g. `inner`, or `inner + rank`). */
  depth: string;
  /** WGSL setting `a` to the left operand's element (gr, gc); see stageTileAWgsl. */
  fillA: string;
  /** WGSL staging the right operand's tile for step `t`, usually stageTileBWgsl(...). */
  stageB: string;
  /** Added to each stored output, e.g. ` + Bias[c]`. */
  addend?: string;
}

/** WGSL main of a tiled matmul out[m, j] = Σ_i A(m, i) · B(i, j), from a kernel's pieces. */
function tiledMatMulWgsl(shader: TiledMatMulShader): string {
  return `
  var<workgroup> tileA : array<array<f32, ${TILE_K}>, ${BLOCK}>;
  var<workgroup> tileB : array<array<f32, ${BLOCK}>, ${TILE_K}>;
  ${shader.helpers ?? ''}

  fn main() {
    let tx = i32(localId.x);
    let ty = i32(localId.y);
    let flat = ty * ${THREADS} + tx;
    let rowBase = i32(workgroupId.y) * ${BLOCK};
    let colBase = i32(workgroupId.x) * ${BLOCK};
    ${shader.dims}
    var acc : array<vec4<f32>, ${PER_THREAD}>;
    let tiles = (${shader.depth} + ${TILE_K - 1}) / ${TILE_K};
    for (var t = 0; t < tiles; t = t + 1) {
      ${stageTileAWgsl(shader.fillA)}
      ${shader.stageB}
      workgroupBarrier();
      ${tileProductWgsl}
      workgroupBarrier();
    }
    ${storeResultWgsl(shader.addend)}
  }`;
}

/**
 * A WebGPUProgram (tfjs-backend-webgpu 4.22's interface) for a [rows, cols] output: one workgroup of THREADS ×
 * THREADS invocations per BLOCK × BLOCK block. Subclasses give the shader's pieces.
 */
export abstract class TiledMatMulProgram implements WebgpuProgram {
  workgroupSize: [number, number, number] = [THREADS, THREADS, 1];
  dispatchLayout = { x: [1], y: [0] };
  dispatch: [number, number, number];

  constructor(
    readonly outputShape: [number, number],
    readonly variableNames: string[],
    readonly shaderKey: string,
  ) {
    this.dispatch = [Math.ceil(outputShape[1] / BLOCK), Math.ceil(outputShape[0] / BLOCK), 1];
  }

  /** This kernel's pieces of the shader (called when tfjs compiles it, once per shaderKey). */
  protected abstract shader(): TiledMatMulShader;

  getUserCode(): string {
    return tiledMatMulWgsl(this.shader());
  }
}
