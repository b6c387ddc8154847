/**
 * float32 to 16-bit and back, on the CPU, with round-to-nearest-even, and the packing of a [rows, cols] matrix two
 * halves per 32-bit word ([rows, ceil(cols / 2)], even column in the low 16 bits, odd one in the high), which the
 * 16-bit matmul kernel widens to f32 (see webgpu-matmul16.ts). bf16 keeps f32's 8-bit exponent and 8 significant
 * bits (relative rounding error at most 2^-8); f16 has 11 significant bits (at most 2^-11) but a range of ±65504
 * and subnormals below 6.1e-5.
 */

/** A 16-bit storage format. */
export type HalfFormat = 'f16' | 'bf16';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The bf16 bits of `value`, rounded to nearest even (NaN stays NaN). */
export function toBf16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) return ((x >>> 16) | 0x40) & 0xffff;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/** The f16 bits of `value`, rounded to nearest even; beyond ±65504 it becomes ±Infinity, below 2^-25 ±0. */
export function toF16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** The float32 value of bf16 bits. */
export function fromBf16Bits(bits: number): number {
  u32[0] = (bits & 0xffff) << 16;
  return f32[0];
}

/** The float32 value of f16 bits. */
export function fromF16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

const encoders: Record<HalfFormat, (v: number) => number> = { bf16: toBf16Bits, f16: toF16Bits };
const decoders: Record<HalfFormat, (bits: number) => number> = { bf16: fromBf16Bits, f16: fromF16Bits };

/**
 * Packs a [rows, cols] float32 matrix into [rows, ceil(cols / 2)] words (as int32, for tfjs). `values` is row-major
 * [rows, cols], or, with `transposed`, row-major [cols, rows] (an HF [out, in] weight packed as the [in, out] kernel
 * without a transposed copy).
 */
export function packHalves(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  format: HalfFormat,
  transposed = false,
): Int32Array {
  const encode = encoders[format];
  const at = transposed
    ? (r: number, c: number) => values[c * rows + r]
    : (r: number, c: number) => values[r * cols + c];
  const words = Math.ceil(cols / 2);
  const out = new Int32Array(rows * words);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c += 2) {
      const low = encode(at(r, c));
      const high = c + 1 < cols ? encode(at(r, c + 1)) : 0;
      out[r * words + c / 2] = low | (high << 16);
    }
  return out;
}

/** The float32 matrix packed words stand for: what the kernel computes with. */
export function unpackHalves(words: ArrayLike<number>, rows: number, cols: number, format: HalfFormat): Float32Array {
  const decode = decoders[format];
  const perRow = Math.ceil(cols / 2);
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const word = words[r * perRow + (c >> 1)] >>> 0;
      out[r * cols + c] = decode(c & 1 ? word >>> 16 : word & 0xffff);
    }
  return out;
}
