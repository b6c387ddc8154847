import { engineErrors } from '../errors.js';

/** The dtypes the safetensors format defines, with their size in bytes. */
export const SAFETENSORS_DTYPE_BYTES = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  U64: 8,
  I32: 4,
  U32: 4,
  I16: 2,
  U16: 2,
  I8: 1,
  U8: 1,
  BOOL: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
} as const;

export type SafetensorsDtype = keyof typeof SAFETENSORS_DTYPE_BYTES;

/** Largest header the Rust safetensors library accepts (bytes). */
export const MAX_HEADER_BYTES = 100_000_000;

/** One tensor's entry in a validated header: byte offsets are relative to the start of the data region. */
export interface SafetensorsEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

/** A validated header: where the data region starts and what each tensor occupies. */
export interface SafetensorsLayout {
  /** Byte offset of the data region in the file (8 + header length). */
  dataStart: number;
  /** Tensors in data order. */
  entries: SafetensorsEntry[];
  /** The `__metadata__` map, if the file has one. */
  metadata: Record<string, string> | undefined;
}

/**
 * Reads the 8-byte little-endian header length and checks it against the file size, following the Rust
 * safetensors rules (header < 100 MB and inside the file). Returns the header length in bytes.
 */
export function readHeaderLength(file: string, prefix: Uint8Array, fileSize: number): number {
  if (fileSize < 8 || prefix.length < 8)
    throw engineErrors.safetensorsInvalid(file, `only ${fileSize} bytes, too short for the 8-byte header length`);
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const length = view.getBigUint64(0, true);
  if (length > BigInt(MAX_HEADER_BYTES))
    throw engineErrors.safetensorsInvalid(file, `header length ${length} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const n = Number(length);
  if (8 + n > fileSize)
    throw engineErrors.safetensorsInvalid(file, `header length ${n} runs past the end of the ${fileSize}-byte file`);
  return n;
}

/**
 * Parses and validates the JSON header. Checks dtype names, shapes, offsets inside the data region, that tensors
 * tile the data region with no gap or overlap, that dtype x shape equals each byte length, and that the data
 * region ends exactly at the end of the file.
 */
export function validateHeader(file: string, headerBytes: Uint8Array, fileSize: number): SafetensorsLayout {
  const dataStart = 8 + headerBytes.length;
  const header = parseHeaderJson(file, headerBytes);
  let metadata: Record<string, string> | undefined;
  const entries: SafetensorsEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') metadata = parseMetadata(file, value);
    else entries.push(parseEntry(file, name, value));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectedBegin = 0;
  for (const entry of entries) {
    if (entry.begin !== expectedBegin) {
      const what = entry.begin > expectedBegin ? 'a gap before it' : 'it overlaps the previous tensor';
      throw engineErrors.safetensorsInvalid(
        file,
        `tensor ${entry.name} starts at data offset ${entry.begin}, expected ${expectedBegin} (${what})`,
      );
    }
    const bytes = elementCount(file, entry) * SAFETENSORS_DTYPE_BYTES[entry.dtype];
    if (entry.end - entry.begin !== bytes)
      throw engineErrors.safetensorsInvalid(
        file,
        `tensor ${entry.name} (${entry.dtype} [${entry.shape.join(', ')}]) needs ${bytes} bytes but its offsets span ${entry.end - entry.begin}`,
      );
    expectedBegin = entry.end;
  }
  const dataBytes = fileSize - dataStart;
  if (expectedBegin > dataBytes)
    throw engineErrors.safetensorsInvalid(
      file,
      `tensor data needs ${expectedBegin} bytes but only ${dataBytes} follow the header (truncated)`,
    );
  if (expectedBegin < dataBytes)
    throw engineErrors.safetensorsInvalid(
      file,
      `${dataBytes - expectedBegin} trailing bytes after the last tensor's data`,
    );
  return { dataStart, entries, metadata };
}

function parseHeaderJson(file: string, headerBytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw engineErrors.safetensorsInvalid(file, 'header is not valid UTF-8');
  }
  if (!text.startsWith('{')) throw engineErrors.safetensorsInvalid(file, 'header does not start with "{"');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw engineErrors.safetensorsInvalid(file, `header is not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(parsed)) throw engineErrors.safetensorsInvalid(file, 'header is not a JSON object');
  return parsed;
}

function parseMetadata(file: string, value: unknown): Record<string, string> {
  if (!isRecord(value) || Object.values(value).some((v) => typeof v !== 'string'))
    throw engineErrors.safetensorsInvalid(file, '__metadata__ must be an object of string values');
  return value as Record<string, string>;
}

function parseEntry(file: string, name: string, value: unknown): SafetensorsEntry {
  const bad = (what: string) => engineErrors.safetensorsInvalid(file, `tensor ${name}: ${what}`);
  if (!isRecord(value)) throw bad('entry is not an object');
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string' || !Object.hasOwn(SAFETENSORS_DTYPE_BYTES, dtype))
    throw bad(`unknown dtype ${JSON.stringify(dtype)}`);
  if (!Array.isArray(shape) || !shape.every(isIndex)) throw bad('shape must be an array of non-negative integers');
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex))
    throw bad('data_offsets must be two non-negative integers');
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw bad(`data_offsets [${begin}, ${end}] end before they begin`);
  return { name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end };
}

function elementCount(file: string, entry: SafetensorsEntry): number {
  let count = 1;
  for (const dim of entry.shape) count *= dim;
  if (!Number.isSafeInteger(count * SAFETENSORS_DTYPE_BYTES[entry.dtype]))
    throw engineErrors.safetensorsInvalid(file, `tensor ${entry.name}: shape [${entry.shape.join(', ')}] is too large`);
  return count;
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
