import { totalmem } from 'node:os';
import { engineErrors } from '../errors.js';
import { estimateParameterCount } from './model-size.js';

/** Largest heap the wasm backend can grow to here (wasm32 under Node 20, measured at about 3.6 GiB). */
export const WASM_HEAP_LIMIT_BYTES = Math.floor(3.6 * 2 ** 30);

/** Memory a model needs as float32: its parameters plus a margin for activations and working buffers. */
export interface ModelMemoryEstimate {
  parameters: number;
  parameterBytes: number;
  workingBytes: number;
  totalBytes: number;
}

/**
 * Estimates float32 memory from config.json, or from an exact parameter count (e.g. summed from safetensors
 * headers) when one is given. `activationMargin` is the working memory as a fraction of the parameter bytes
 * (default 0.25), plus a fixed 64 MiB.
 */
export function estimateModelMemory(
  config: Record<string, unknown>,
  options: { parameters?: number; activationMargin?: number; file?: string } = {},
): ModelMemoryEstimate {
  const parameters = options.parameters ?? estimateParameterCount(config, options.file);
  const parameterBytes = parameters * 4;
  const workingBytes = Math.ceil(parameterBytes * (options.activationMargin ?? 0.25)) + 64 * 2 ** 20;
  return { parameters, parameterBytes, workingBytes, totalBytes: parameterBytes + workingBytes };
}

/** The heap limit of a backend in bytes, or undefined when it has none worth checking. */
export function backendHeapLimit(backend: string): number | undefined {
  return backend === 'wasm' ? WASM_HEAP_LIMIT_BYTES : undefined;
}

/** Options of the memory check: an exact parameter count, the working-memory margin, the machine's RAM. */
export interface FitOptions {
  parameters?: number;
  activationMargin?: number;
  /** Physical memory in bytes; defaults to os.totalmem(). */
  systemMemoryBytes?: number;
}

/**
 * Refuses, before any weight is loaded, a model whose estimated memory exceeds the backend's heap limit (naming the
 * backends without that limit) or the machine's physical memory. Returns the estimate when the model fits.
 */
export function assertModelFits(
  source: string,
  config: Record<string, unknown>,
  backend: string,
  options: FitOptions = {},
): ModelMemoryEstimate {
  const estimate = estimateModelMemory(config, { ...options, file: `${source}/config.json` });
  const limit = backendHeapLimit(backend);
  if (limit !== undefined && estimate.totalBytes > limit)
    throw engineErrors.modelTooBigForBackend(source, backend, estimate, limit);
  const system = options.systemMemoryBytes ?? totalmem();
  if (estimate.totalBytes > system) throw engineErrors.modelTooBigForMemory(source, backend, estimate, system);
  return estimate;
}
