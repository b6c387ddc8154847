import { engineErrors } from '../errors.js';
import type { SafetensorsDtype } from './safetensors-validate.js';

/** The in-memory element type a stored dtype is converted to (tfjs has no float16, bfloat16 or int64). */
export type LoadedDtype = 'float32' | 'int32' | 'uint8';

/** The typed array holding a loaded tensor's elements. */
export type TensorData = Float32Array | Int32Array | Uint8Array;

/** What a stored dtype becomes in memory. */
export function loadedDtypeOf(dtype: SafetensorsDtype): LoadedDtype | undefined {
  switch (dtype) {
    case 'F64':
    case 'F32':
    case 'F16':
    case 'BF16':
      return 'float32';
    case 'I64':
    case 'I32':
    case 'I16':
    case 'I8':
    case 'U16':
      return 'int32';
    case 'U8':
    case 'BOOL':
      return 'uint8';
    default:
      return undefined;
  }
}

/**
 * Converts one tensor's little-endian bytes to its in-memory typed array. `bytes` may sit at any offset; it is
 * copied once, unless it spans a whole buffer of its own and `owned` says the caller gives that buffer away.
 * I64 values outside the int32 range are refused with an error naming the tensor and file.
 */
export function convertTensorBytes(
  file: string,
  name: string,
  dtype: SafetensorsDtype,
  bytes: Uint8Array,
  owned = false,
): TensorData {
  const whole = owned && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const aligned = whole ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
  switch (dtype) {
    case 'F32':
      return new Float32Array(aligned);
    case 'F64':
      return Float32Array.from(new Float64Array(aligned));
    case 'F16':
      return halfToFloat(new Uint16Array(aligned));
    case 'BF16':
      return bfloatToFloat(new Uint16Array(aligned));
    case 'I32':
      return new Int32Array(aligned);
    case 'I64':
      return int64ToInt32(file, name, new Int32Array(aligned));
    case 'I16':
      return Int32Array.from(new Int16Array(aligned));
    case 'I8':
      return Int32Array.from(new Int8Array(aligned));
    case 'U16':
      return Int32Array.from(new Uint16Array(aligned));
    case 'U8':
    case 'BOOL':
      return new Uint8Array(aligned);
    default:
      throw engineErrors.safetensorsUnsupportedDtype(file, name, dtype);
  }
}

function bfloatToFloat(halves: Uint16Array): Float32Array {
  const bits = new Uint32Array(halves.length);
  for (let i = 0; i < halves.length; i++) bits[i] = halves[i] << 16;
  return new Float32Array(bits.buffer);
}

let halfTable: Float32Array | undefined;

/** IEEE 754 binary16 -> binary32 through a 65,536-entry table built once. */
function halfToFloat(halves: Uint16Array): Float32Array {
  halfTable ??= buildHalfTable();
  const table = halfTable;
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; i++) out[i] = table[halves[i]];
  return out;
}

function buildHalfTable(): Float32Array {
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    if (exponent === 0) table[h] = sign * 2 ** -14 * (mantissa / 1024);
    else if (exponent === 31) table[h] = mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
    else table[h] = sign * 2 ** (exponent - 15) * (1 + mantissa / 1024);
  }
  return table;
}

/** Little-endian int64 pairs (low, high) -> int32, refusing values whose high word is not the low word's sign. */
function int64ToInt32(file: string, name: string, words: Int32Array): Int32Array {
  const out = new Int32Array(words.length / 2);
  for (let i = 0; i < out.length; i++) {
    const low = words[2 * i];
    if (words[2 * i + 1] !== low >> 31) throw engineErrors.safetensorsInt64OutOfRange(file, name, i);
    out[i] = low;
  }
  return out;
}
