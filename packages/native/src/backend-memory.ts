import { type DataType, type KernelBackend, type TensorInfo, util, version_core } from '@tensorflow/tfjs-core';
import { nativeErrors } from './errors.js';

/** tfjs version whose private backend fields this file reads; package.json pins it exactly. */
export const PINNED_TFJS = '4.22.0';

/**
 * Native kernels read and write tensor memory in place. This is the one place that knows
 * the private layout of the tfjs backends (wasm: `dataIdMap`, `memoryOffset`, `wasm.HEAPU8`,
 * `makeOutput`; cpu: `data`, `values`, `makeTensorInfo`).
 * Allocate every output before taking views: on wasm an allocation may grow the heap,
 * which detaches views taken earlier.
 */
export interface BackendMemory {
  readonly backendName: 'wasm' | 'cpu';
  /** A new uninitialised (wasm) or zeroed (cpu) tensor owned by the backend. */
  alloc(shape: number[], dtype: 'float32' | 'int32'): TensorInfo;
  f32(t: TensorInfo): Float32Array;
  i32(t: TensorInfo): Int32Array;
  /** A new tensor record sharing t's memory (reference-counted, no copy). */
  share(t: TensorInfo): TensorInfo;
  /** How many tensor records hold t's memory (1 = only t). */
  refCount(t: TensorInfo): number;
  /**
   * Whether t's memory holds values of t's own dtype. The cpu backend's lossless Cast (bool or int32 to float32,
   * bool to int32) keeps the input's Uint8Array or Int32Array under the new dtype; a native kernel must leave such
   * a tensor to the backend's own kernel. Always true on wasm, whose Cast copies.
   */
  holdsOwnDtype(t: TensorInfo): boolean;
}

interface WasmData {
  memoryOffset: number;
}
interface RefCounted {
  incRef(id: object): void;
  refCount(id: object): number;
}
interface WasmLike extends RefCounted {
  dataIdMap: { get(id: object): WasmData | undefined };
  wasm: { HEAPU8: Uint8Array };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}
interface CpuLike extends RefCounted {
  data: { get(id: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: DataType, values?: Float32Array | Int32Array): TensorInfo;
}

function hasField(obj: unknown, field: string, type: 'object' | 'function'): boolean {
  return obj !== null && typeof obj === 'object' && typeof (obj as Record<string, unknown>)[field] === type;
}

/** Throws NATIVE_BACKEND_LAYOUT naming the first private field that is not as expected. */
export function assertBackendLayout(name: string, backend: KernelBackend | object): void {
  const fail = (field: string) => nativeErrors.backendLayoutChanged(name, field, version_core);
  if (version_core !== PINNED_TFJS) throw fail('(tfjs-core version)');
  if (name === 'wasm') {
    if (!hasField(backend, 'dataIdMap', 'object')) throw fail('dataIdMap');
    if (!hasField((backend as WasmLike).dataIdMap, 'get', 'function')) throw fail('dataIdMap.get');
    if (!hasField(backend, 'wasm', 'object') || !((backend as WasmLike).wasm.HEAPU8 instanceof Uint8Array)) {
      throw fail('wasm.HEAPU8');
    }
    if (!hasField(backend, 'makeOutput', 'function')) throw fail('makeOutput');
    if (!hasField(backend, 'incRef', 'function')) throw fail('incRef');
  } else if (name === 'cpu') {
    if (!hasField(backend, 'data', 'object') || !hasField((backend as CpuLike).data, 'get', 'function')) {
      throw fail('data.get');
    }
    if (!hasField(backend, 'makeTensorInfo', 'function')) throw fail('makeTensorInfo');
    if (!hasField(backend, 'incRef', 'function')) throw fail('incRef');
  } else {
    throw nativeErrors.unsupportedBackend(name);
  }
}

/** Checks a live tensor's record: wasm must give a numeric memoryOffset, cpu a TypedArray `values`. */
export function assertTensorRecord(name: string, backend: object, t: TensorInfo): void {
  const fail = (field: string) => nativeErrors.backendLayoutChanged(name, field, version_core);
  if (name === 'wasm') {
    const rec = (backend as WasmLike).dataIdMap.get(t.dataId);
    if (!rec || typeof rec.memoryOffset !== 'number') throw fail('dataIdMap.get(dataId).memoryOffset');
  } else {
    const rec = (backend as CpuLike).data.get(t.dataId);
    if (!rec || !(rec.values instanceof Float32Array || rec.values instanceof Int32Array)) {
      throw fail('data.get(dataId).values');
    }
  }
}

class WasmMemory implements BackendMemory {
  readonly backendName = 'wasm';
  constructor(private readonly backend: WasmLike) {}
  alloc(shape: number[], dtype: 'float32' | 'int32'): TensorInfo {
    return this.backend.makeOutput(shape, dtype);
  }
  share(t: TensorInfo): TensorInfo {
    this.backend.incRef(t.dataId);
    return { dataId: t.dataId, shape: [...t.shape], dtype: t.dtype };
  }
  refCount(t: TensorInfo): number {
    return this.backend.refCount(t.dataId);
  }
  private offset(t: TensorInfo): number {
    const rec = this.backend.dataIdMap.get(t.dataId);
    if (!rec) throw nativeErrors.backendLayoutChanged('wasm', 'dataIdMap.get(dataId)', version_core);
    return rec.memoryOffset;
  }
  holdsOwnDtype(): boolean {
    return true;
  }
  f32(t: TensorInfo): Float32Array {
    return new Float32Array(this.backend.wasm.HEAPU8.buffer, this.offset(t), util.sizeFromShape(t.shape));
  }
  i32(t: TensorInfo): Int32Array {
    return new Int32Array(this.backend.wasm.HEAPU8.buffer, this.offset(t), util.sizeFromShape(t.shape));
  }
}

class CpuMemory implements BackendMemory {
  readonly backendName = 'cpu';
  constructor(private readonly backend: CpuLike) {}
  alloc(shape: number[], dtype: 'float32' | 'int32'): TensorInfo {
    const size = util.sizeFromShape(shape);
    return this.backend.makeTensorInfo(shape, dtype, dtype === 'int32' ? new Int32Array(size) : new Float32Array(size));
  }
  share(t: TensorInfo): TensorInfo {
    this.backend.incRef(t.dataId);
    return { dataId: t.dataId, shape: [...t.shape], dtype: t.dtype };
  }
  refCount(t: TensorInfo): number {
    return this.backend.refCount(t.dataId);
  }
  private values(t: TensorInfo): unknown {
    return this.backend.data.get(t.dataId)?.values;
  }
  holdsOwnDtype(t: TensorInfo): boolean {
    const v = this.values(t);
    if (t.dtype === 'float32') return v instanceof Float32Array;
    if (t.dtype === 'int32') return v instanceof Int32Array;
    return true;
  }
  f32(t: TensorInfo): Float32Array {
    const v = this.values(t);
    if (!(v instanceof Float32Array))
      throw nativeErrors.backendLayoutChanged('cpu', 'data.get(dataId).values', version_core);
    return v;
  }
  i32(t: TensorInfo): Int32Array {
    const v = this.values(t);
    if (!(v instanceof Int32Array))
      throw nativeErrors.backendLayoutChanged('cpu', 'data.get(dataId).values', version_core);
    return v;
  }
}

/** Memory access for a backend instance; call assertBackendLayout first. */
export function backendMemory(name: string, backend: object): BackendMemory {
  if (name === 'wasm') return new WasmMemory(backend as WasmLike);
  if (name === 'cpu') return new CpuMemory(backend as CpuLike);
  throw nativeErrors.unsupportedBackend(name);
}
