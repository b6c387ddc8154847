import { formatAdapterLine, type WebgpuAdapterDescription } from './webgpu-adapter.js';

/** Backend names accepted by `--backend`. */
export const BACKEND_NAMES = ['auto', 'wasm', 'cpu', 'tensorflow', 'tensorflow-gpu', 'webgpu'] as const;

export type BackendName = (typeof BACKEND_NAMES)[number];

/** A concrete backend (what `auto` resolves to). */
export type ResolvedBackendName = Exclude<BackendName, 'auto'>;

/** What a run logs about the tensor backend it computes on. */
export interface BackendDescription {
  /** The backend chosen (never `auto`). */
  name: ResolvedBackendName;
  /** What was asked for, and why `auto` chose `name`. */
  requested: BackendName;
  reason: string;
  /** The tfjs backend registered as current (`wasm`, `cpu` or `tensorflow`). */
  tfjsBackend: string;
  /** The npm package providing it, with its version. */
  package: string;
  /** True when lookright's own native addon accelerates kernels (provided by @lookright/native, not here). */
  native: boolean;
  /** Threads the backend computes with. */
  threads: number;
  /** True when the wasm binary with SIMD is in use; false for non-wasm backends. */
  simd: boolean;
  /** Heap limit in bytes where the backend has one (wasm). */
  heapLimitBytes?: number;
  /** The GPU adapter (webgpu only): vendor, architecture, software or hardware, limits, features. */
  adapter?: WebgpuAdapterDescription;
}

/** True when `value` is one of the `--backend` names. */
export function isBackendName(value: string): value is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(value);
}

/** Logs what a command computes on: `backend: <name> (<package>; <reason>)`, plus the GPU adapter for webgpu. */
export function logBackend(d: BackendDescription, log: (line: string) => void): void {
  log(`backend: ${d.name} (${d.package}; ${d.reason})`);
  if (d.adapter) log(formatAdapterLine(d.adapter));
}

/** One log line for a run, e.g. `backend wasm (@tensorflow/tfjs-backend-wasm@4.22.0, simd, 1 thread, native off; auto: ...)`. */
export function formatBackendLine(d: BackendDescription): string {
  const features = [d.package, d.simd ? 'simd' : 'no simd', `${d.threads} thread${d.threads === 1 ? '' : 's'}`];
  features.push(d.native ? 'native on' : 'native off');
  const line = `backend ${d.name} (${features.join(', ')}; ${d.reason})`;
  return d.adapter ? `${line}\n${formatAdapterLine(d.adapter)}` : line;
}
