/**
 * The register tiling shared by lookright's WGSL matmul kernels (16/4-bit weights, fused LoRA): 16 × 16
 * invocations, each computing 4 × 4 outputs strided by 16 (a vec4 accumulator per row), so a 64 × 64 output block
 * per workgroup; x and W tiles of depth TILE_K staged in workgroup memory. PER_THREAD is fixed at 4 by the vec4.
 */
export const THREADS = 16;
export const PER_THREAD = 4;
export const BLOCK = THREADS * PER_THREAD;
/** Depth of the x and W tiles staged in workgroup memory per step along the inner dimension. */
export const TILE_K = 16;

/** WGSL: the staged tiles' product added into `acc` (between the two barriers of one step along the inner dim). */
export const tileProductWgsl = `
      for (var k = 0; k < ${TILE_K}; k = k + 1) {
        let bk = vec4<f32>(tileB[k][tx], tileB[k][tx + ${THREADS}], tileB[k][tx + ${2 * THREADS}], tileB[k][tx + ${3 * THREADS}]);
        for (var i = 0; i < ${PER_THREAD}; i = i + 1) {
          acc[i] = fma(vec4<f32>(tileA[ty + i * ${THREADS}][k]), bk, acc[i]);
        }
      }`;

/** WGSL: each invocation's 4 × 4 outputs written to `result` ([rows, cols]), plus `addend` (e.g. ` + Bias[c]`). */
export function storeResultWgsl(addend = ''): string {
  return `
    for (var i = 0; i < ${PER_THREAD}; i = i + 1) {
      let r = rowBase + ty + i * ${THREADS};
      for (var j = 0; j < ${PER_THREAD}; j = j + 1) {
        let c = colBase + tx + j * ${THREADS};
        if (r < rows && c < cols) { result[r * cols + c] = acc[i][j]${addend}; }
      }
    }`;
}
