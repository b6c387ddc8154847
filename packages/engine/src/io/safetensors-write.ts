import { closeSync, openSync, renameSync, writeSync } from 'node:fs';
import { engineErrors } from '../errors.js';

/** A tensor to write: the dtype follows the array type (Float32Array -> F32, Int32Array -> I32, Uint8Array -> U8). */
export interface TensorToWrite {
  shape: readonly number[];
  data: Float32Array | Int32Array | Uint8Array;
}

const DEFAULT_METADATA: Record<string, string> = { format: 'pt' };

type Tensors = ReadonlyMap<string, TensorToWrite> | Readonly<Record<string, TensorToWrite>>;

/** The bytes of a safetensors file before they are joined: the 8-byte length + header, then each tensor's bytes. */
interface SafetensorsPlan {
  head: Uint8Array;
  parts: Uint8Array[];
  dataBytes: number;
}

/**
 * Lays out tensors as a safetensors file: tensors in sorted-name order, the header padded with spaces so the data
 * region starts at a multiple of 8, `__metadata__` = `{"format":"pt"}` unless other metadata is given.
 */
function planSafetensors(tensors: Tensors, file: string, metadata: Record<string, string>): SafetensorsPlan {
  const entries = (tensors instanceof Map ? [...tensors] : Object.entries(tensors)) as [string, TensorToWrite][];
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // No prototype: a tensor named "__proto__" must become a header key, not the object's prototype (which
  // JSON.stringify would drop while its bytes were still written).
  const header: Record<string, unknown> = Object.assign(Object.create(null), { __metadata__: metadata });
  const parts: Uint8Array[] = [];
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
    parts.push(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    offset += tensor.data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = json.length + ((8 - (json.length % 8)) % 8);
  const head = new Uint8Array(8 + padded).fill(0x20);
  new DataView(head.buffer).setBigUint64(0, BigInt(padded), true);
  head.set(json, 8);
  return { head, parts, dataBytes: offset };
}

/** Encodes tensors as one safetensors byte array (see writeSafetensors for the layout). `file` names errors. */
export function encodeSafetensors(tensors: Tensors, file = '<memory>', metadata = DEFAULT_METADATA): Uint8Array {
  const { head, parts, dataBytes } = planSafetensors(tensors, file, metadata);
  const out = new Uint8Array(head.length + dataBytes);
  out.set(head);
  let position = head.length;
  for (const part of parts) {
    out.set(part, position);
    position += part.length;
  }
  return out;
}

/**
 * Writes a safetensors file: tensors in sorted-name order, the header padded with spaces so the data region starts
 * at a multiple of 8, `__metadata__` = `{"format":"pt"}` unless other metadata is given. The file is written to a
 * temporary name in the same folder and renamed, so a reader never sees a partial file.
 */
export function writeSafetensors(file: string, tensors: Tensors, metadata = DEFAULT_METADATA): void {
  const { head, parts } = planSafetensors(tensors, file, metadata);
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeAll(fd, head);
    for (const part of parts) writeAll(fd, part);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

function dtypeOf(file: string, name: string, data: unknown): 'F32' | 'I32' | 'U8' {
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof Int32Array) return 'I32';
  if (data instanceof Uint8Array) return 'U8';
  throw engineErrors.safetensorsWriteInvalid(file, name, 'is not a Float32Array, Int32Array or Uint8Array');
}
