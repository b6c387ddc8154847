import { Identity } from '@tensorflow/tfjs-core';
import { input, type NativeKernel } from './native-kernel.js';

/**
 * Identity (tf.clone, and every tensor tfjs saves for a gradient) without a copy: the clone shares the input's
 * reference-counted memory, as the cpu backend already does. wasm's own Identity copies the buffer, which for
 * the saved activations and weights of a training step is a measurable share of the step. Safe because tfjs
 * tensors are immutable; the one in-place writer, fusedAdamWUpdate, only writes buffers nothing else references.
 * Strings go to the original kernel.
 */
export const identityKernel: NativeKernel = {
  kernelName: Identity,
  run(inputs, _attrs, mem) {
    const x = input(inputs, 'x', Identity);
    if (x.dtype === 'string') return null;
    return mem.share(x);
  },
};
