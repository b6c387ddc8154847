import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

/** Folder (with trailing slash) of the installed tfjs-backend-wasm .wasm binaries. */
export function wasmBinaryFolder(): string {
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`;
}

/**
 * Points tfjs-backend-wasm at its .wasm files as file paths (Node has no page URL to resolve them against) and makes
 * `wasm` the current backend. Returns the threads and SIMD the backend reports.
 */
export async function startWasm(): Promise<{ threads: number; simd: boolean }> {
  if (tf.getBackend() !== 'wasm') {
    setWasmPaths(wasmBinaryFolder());
    if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") returned false');
  }
  await tf.ready();
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const multithread = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  return { threads: multithread ? Math.max(1, getThreadsCount()) : 1, simd };
}
