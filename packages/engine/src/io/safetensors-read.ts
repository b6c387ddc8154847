import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { engineErrors } from '../errors.js';
import { convertTensorBytes, type LoadedDtype, loadedDtypeOf, type TensorData } from './safetensors-convert.js';
import {
  readHeaderLength,
  type SafetensorsDtype,
  type SafetensorsEntry,
  type SafetensorsLayout,
  validateHeader,
} from './safetensors-validate.js';

/** One loaded tensor: `dtype` is the in-memory type of `data`, `storedDtype` the file's dtype. */
export interface LoadedTensor {
  dtype: LoadedDtype;
  storedDtype: SafetensorsDtype;
  shape: number[];
  data: TensorData;
}

/** Tensors by name, in the file's data order, plus the file's `__metadata__` (undefined when absent). */
export class TensorMap extends Map<string, LoadedTensor> {
  metadata: Record<string, string> | undefined;
}

/**
 * Reads and validates a safetensors file. F64/F32/F16/BF16 load as Float32Array, I64/I32/I16/I8/U16 as
 * Int32Array (I64 outside int32 is refused), U8/BOOL as Uint8Array. Any problem is a LookrightError naming the file.
 * The header is validated against the file size before any tensor data is read.
 */
export function readSafetensors(file: string): TensorMap {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw engineErrors.safetensorsUnreadable(file, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  try {
    const fileSize = fstatSync(fd).size;
    const layout = readLayout(file, fileSize, (offset, length) => readExactly(file, fd, offset, length));
    return loadTensors(file, layout, (offset, length) => readExactly(file, fd, offset, length), true);
  } finally {
    closeSync(fd);
  }
}

/** Reads only the validated header of a safetensors file (names, dtypes, shapes, offsets). */
export function readSafetensorsLayout(file: string): SafetensorsLayout {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw engineErrors.safetensorsUnreadable(file, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  try {
    return readLayout(file, fstatSync(fd).size, (offset, length) => readExactly(file, fd, offset, length));
  } finally {
    closeSync(fd);
  }
}

/** Decodes a whole safetensors file held in memory; `name` is used in error messages. */
export function decodeSafetensors(bytes: Uint8Array, name: string): TensorMap {
  const slice = (offset: number, length: number) => bytes.subarray(offset, offset + length);
  const layout = readLayout(name, bytes.length, slice);
  return loadTensors(name, layout, slice);
}

type ReadBytes = (offset: number, length: number) => Uint8Array;

function readLayout(file: string, fileSize: number, read: ReadBytes): SafetensorsLayout {
  const headerLength = readHeaderLength(file, read(0, Math.min(8, fileSize)), fileSize);
  return validateHeader(file, read(8, headerLength), fileSize);
}

function loadTensors(file: string, layout: SafetensorsLayout, read: ReadBytes, owned = false): TensorMap {
  const tensors = new TensorMap();
  tensors.metadata = layout.metadata;
  for (const entry of layout.entries) tensors.set(entry.name, loadTensor(file, layout.dataStart, entry, read, owned));
  return tensors;
}

function loadTensor(
  file: string,
  dataStart: number,
  entry: SafetensorsEntry,
  read: ReadBytes,
  owned: boolean,
): LoadedTensor {
  const dtype = loadedDtypeOf(entry.dtype);
  if (!dtype) throw engineErrors.safetensorsUnsupportedDtype(file, entry.name, entry.dtype);
  const bytes = read(dataStart + entry.begin, entry.end - entry.begin);
  const data = convertTensorBytes(file, entry.name, entry.dtype, bytes, owned);
  return { dtype, storedDtype: entry.dtype, shape: [...entry.shape], data };
}

function readExactly(file: string, fd: number, offset: number, length: number): Uint8Array {
  const buffer = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, offset + done);
    if (n === 0) break;
    done += n;
  }
  if (done < length) throw engineErrors.safetensorsUnreadable(file, 'the file shrank while it was being read');
  return buffer;
}
