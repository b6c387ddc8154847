import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import '../tf-gradients.js';

/** Unit tests of small tensor code run on tfjs' pure-JS cpu backend: exact, and present everywhere. */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}
