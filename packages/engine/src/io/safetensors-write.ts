import { renameSync, writeFileSync } from 'node:fs';
import { engineErrors } from '../errors.js';

/** A tensor to write: the dtype follows the array type (Float32Array -> F32, Int32Array -> I32, Uint8Array -> U8). */
export interface TensorToWrite {
  shape: readonly number[];
  data: Float32Array | Int32Array | Uint8Array;
}

const DEFAULT_METADATA: Record<string, string> = { format: 'pt' };

/**
 * Encodes tensors as a safetensors file: tensors in sorted-name order, the header padded with spaces so the data
 * region starts at a multiple of 8, `__metadata__` = `{"format":"pt"}` unless other metadata is given.
 * `file` is only used in error messages.
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, TensorToWrite> | Readonly<Record<string, TensorToWrite>>,
  file = '<memory>',
  metadata: Record<string, string> = DEFAULT_METADATA,
): Uint8Array {
  const entries = (tensors instanceof Map ? [...tensors] : Object.entries(tensors)) as [string, TensorToWrite][];
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, tensor] of entries) {
    if (name === '__metadata__') throw engineErrors.safetensorsWriteInvalid(file, name, 'uses a reserved name');
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    if (!tensor.shape.every((d) => Number.isSafeInteger(d) && d >= 0) || count !== tensor.data.length)
      throw engineErrors.safetensorsWriteInvalid(
        file,
        name,
        `has shape [${tensor.shape.join(', ')}] but ${tensor.data.length} elements`,
      );
    const dtype = dtypeOf(file, name, tensor.data);
    header[name] = { dtype, shape: [...tensor.shape], data_offsets: [offset, offset + tensor.data.byteLength] };
    offset += tensor.data.byteLength;
  }
  let json = JSON.stringify(header);
  const jsonBytes = new TextEncoder().encode(json).length;
  json += ' '.repeat((8 - (jsonBytes % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const [, tensor] of entries) {
    out.set(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), position);
    position += tensor.data.byteLength;
  }
  return out;
}

/** Writes a safetensors file atomically (a temporary file in the same folder, then a rename). */
export function writeSafetensors(
  file: string,
  tensors: ReadonlyMap<string, TensorToWrite> | Readonly<Record<string, TensorToWrite>>,
  metadata?: Record<string, string>,
): void {
  const bytes = encodeSafetensors(tensors, file, metadata);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, file);
}

function dtypeOf(file: string, name: string, data: unknown): 'F32' | 'I32' | 'U8' {
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof Int32Array) return 'I32';
  if (data instanceof Uint8Array) return 'U8';
  throw engineErrors.safetensorsWriteInvalid(file, name, 'is not a Float32Array, Int32Array or Uint8Array');
}
