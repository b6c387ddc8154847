import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '../ops/stock-gradients.js';

/** Unit tests of small tensor code run on tfjs' pure-JS cpu backend: exact, and present everywhere. */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/**
 * Sets the tfjs backend for engine tests: LOOKRIGHT_TEST_BACKEND (wasm or cpu), wasm by default, so the numbers
 * come from the kernels training uses.
 */
export async function useTestBackend(): Promise<string> {
  const name = process.env.LOOKRIGHT_TEST_BACKEND ?? 'wasm';
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`tfjs backend ${name} did not start`);
  }
  await tf.ready();
  return name;
}
