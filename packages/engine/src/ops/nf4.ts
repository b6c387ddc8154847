/**
 * 4-bit NormalFloat (NF4) storage of a frozen [rows = in, cols = out] weight, as in QLoRA (Dettmers, Pagnoni,
 * Holtzman, Zettlemoyer 2023, "QLoRA: Efficient Finetuning of Quantized LLMs", arXiv 2305.14314): blockwise
 * absmax scaling, each block of 64 weights divided by its largest magnitude and every value replaced by the index of
 * the nearest of 16 levels. A block is 64 consecutive input rows of one output column, i.e. 64 consecutive elements
 * of a row of the HF [out, in] weight, the blocking of the flattened HF tensor that bitsandbytes uses when `in` is a
 * multiple of 64. Codes are packed 8 per 32-bit word along the output columns ([rows, ceil(cols / 8)], column 8w + k
 * in bits 4k..4k+3); the absmax scales are kept in f32 ([ceil(rows / 64), cols]). QLoRA's double quantisation (the
 * scales themselves quantised to 8 bits) is not done: the f32 scales add 4 / 64 = 0.0625 bytes per weight, so a
 * weight costs 0.5625 bytes instead of QLoRA's about 0.5078.
 */

/** Weights per absmax block (QLoRA's block size for the weights). */
export const NF4_BLOCK = 64;

/**
 * The 16 NF4 levels, ascending, as printed in the QLoRA paper (arXiv 2305.14314, Appendix E, "NormalFloat 4-bit
 * data type") and used by bitsandbytes: quantiles of N(0, 1) normalised to [-1, 1], with an exact 0.
 */
export const NF4_LEVELS: readonly number[] = [
  -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635, -0.18477343022823334,
  -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
  0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
];

/** Midpoints between consecutive levels: a normalised value above midpoint k rounds to level k + 1 or higher. */
const MIDPOINTS = NF4_LEVELS.slice(1).map((level, k) => (NF4_LEVELS[k] + level) / 2);

/** The index of the level nearest to `normalised` (in [-1, 1]); a tie goes to the lower level. */
export function nf4Code(normalised: number): number {
  let code = 0;
  while (code < MIDPOINTS.length && normalised > MIDPOINTS[code]) code++;
  return code;
}

/** A weight quantised to NF4: packed codes and the f32 absmax of every block. */
export interface Nf4Weight {
  /** [rows, ceil(cols / 8)] packed codes (as int32, for tfjs). */
  words: Int32Array;
  /** [ceil(rows / 64), cols] absmax scales. */
  scales: Float32Array;
}

/**
 * Quantises a [rows, cols] float32 matrix to NF4. `values` is row-major [rows, cols], or, with `transposed`,
 * row-major [cols, rows] (an HF [out, in] weight quantised as the [in, out] kernel without a transposed copy).
 */
export function quantizeNf4(values: ArrayLike<number>, rows: number, cols: number, transposed = false): Nf4Weight {
  const at = transposed
    ? (r: number, c: number) => values[c * rows + r]
    : (r: number, c: number) => values[r * cols + c];
  const blocks = Math.ceil(rows / NF4_BLOCK);
  const scales = new Float32Array(blocks * cols);
  for (let c = 0; c < cols; c++)
    for (let b = 0; b < blocks; b++) {
      let absmax = 0;
      for (let r = b * NF4_BLOCK; r < Math.min(rows, (b + 1) * NF4_BLOCK); r++)
        absmax = Math.max(absmax, Math.abs(at(r, c)));
      scales[b * cols + c] = absmax;
    }
  const perRow = Math.ceil(cols / 8);
  const words = new Int32Array(rows * perRow);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const absmax = scales[Math.floor(r / NF4_BLOCK) * cols + c];
      const code = absmax === 0 ? 7 : nf4Code(at(r, c) / absmax);
      words[r * perRow + (c >> 3)] |= code << (4 * (c & 7));
    }
  return { words, scales };
}

/** The float32 [rows, cols] matrix an NF4 weight stands for: what the kernel computes with. */
export function dequantizeNf4({ words, scales }: Nf4Weight, rows: number, cols: number): Float32Array {
  const perRow = Math.ceil(cols / 8);
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const code = (words[r * perRow + (c >> 3)] >>> (4 * (c & 7))) & 15;
      out[r * cols + c] = NF4_LEVELS[code] * scales[Math.floor(r / NF4_BLOCK) * cols + c];
    }
  return out;
}
