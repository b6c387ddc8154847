import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { registerThreadedWasm, wasmThreadsFromEnv } from './wasm-threads.js';

const require = createRequire(import.meta.url);

/** Folder (with trailing slash) of the installed tfjs-backend-wasm .wasm binaries. */
export function wasmBinaryFolder(): string {
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`;
}

/**
 * Points tfjs-backend-wasm at its .wasm files as file paths (Node has no page URL to resolve them against) and makes
 * `wasm` the current backend: the single-threaded SIMD build, or with LOOKRIGHT_WASM_THREADS above 1 the threaded
 * one (wasm-threads.ts). A backend already started is kept as it is. Returns the threads and SIMD it reports.
 */
export async function startWasm(): Promise<{ threads: number; simd: boolean }> {
  if (tf.getBackend() !== 'wasm') {
    const threads = wasmThreadsFromEnv();
    // only before tfjs first starts wasm: replacing a started backend would drop its tensors
    if (threads > 1 && !('wasm' in tf.engine().registry)) registerThreadedWasm(threads);
    setWasmPaths(wasmBinaryFolder());
    if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") returned false');
  }
  await tf.ready();
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  return { threads: Math.max(1, getThreadsCount()), simd };
}
