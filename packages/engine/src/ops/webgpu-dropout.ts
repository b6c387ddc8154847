/**
 * Dropout with its mask drawn on the GPU (webgpu backend): no mask is built on the CPU or uploaded. Each element's
 * keep-or-drop bit comes from a counter-based hash of (seed, element index): key = pcg(seed), bits =
 * pcg(pcg(index ^ key) + key), with pcg the PCG-RXS-M-XS hash of Jarzynski and Olano (JCGT 2020); kept when bits
 * >= ceil(rate · 2³²). The same seed gives the same mask on every device. The masks differ from the wasm/cpu path's
 * (dropout.ts, SeededRng), so the same seed drops different elements on webgpu than on wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import { withCustomGradient } from './custom-gradient.js';
import { ElementwiseProgram, runProgram } from './webgpu-program.js';

/** Kernel: input x; attrs seed (uint32) and rate; output x · mask, mask 0 or 1 / (1 - rate). */
export const DROPOUT_WEBGPU = 'LookrightWebgpuDropout';

const pcgHash = `
  fn pcg(v : u32) -> u32 {
    let state = v * 747796405u + 2891336453u;
    let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
    return (word >> 22u) ^ word;
  }`;

const dropout = (shape: number[]) =>
  new ElementwiseProgram(
    ['X'],
    shape,
    'lookrightDropout',
    `
      let key = pcg(uniforms.seed);
      let bits = pcg(pcg(u32(index) ^ key) + key);
      var factor = 0.0;
      if (bits >= uniforms.threshold) { factor = uniforms.keep; }
      result[index] = X[index] * factor;`,
    pcgHash,
    'seed : u32, threshold : u32, keep : f32,',
  );

/** The drop threshold on 32 random bits: an element is kept when its bits are >= this. */
function threshold(rate: number): number {
  return Math.min(Math.ceil(rate * 2 ** 32), 0xffffffff);
}

function pcg(v: number): number {
  const state = (Math.imul(v, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** The GPU's mask computed on the CPU (same hash): 0 or 1 / (1 - rate) per element. For tests and reference. */
export function gpuDropoutMask(n: number, rate: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  const key = pcg(seed >>> 0);
  const cut = threshold(rate);
  const keep = 1 / (1 - rate);
  for (let i = 0; i < n; i++) out[i] = pcg((pcg((i ^ key) >>> 0) + key) >>> 0) >= cut ? keep : 0;
  return out;
}

/** Registers the kernel for the webgpu backend (once). */
export function registerDropoutKernel(): void {
  if (tf.getKernel(DROPOUT_WEBGPU, 'webgpu')) return;
  tf.registerKernel({
    kernelName: DROPOUT_WEBGPU,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x } = inputs as { x: tf.TensorInfo };
      const { seed, rate } = attrs as { seed: number; rate: number };
      return runProgram(
        backend,
        dropout(x.shape),
        [x],
        [
          { type: 'uint32', data: [seed >>> 0] },
          { type: 'uint32', data: [threshold(rate)] },
          { type: 'float32', data: [1 / (1 - rate)] },
        ],
      );
    },
  });
}

/**
 * The engine's seededDropout contract on the GPU: x · mask (x itself at rate 0), gradient dy · mask, the mask
 * redrawn from the seed in the backward pass instead of being kept.
 */
export function webgpuDropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  if (rate === 0) return x;
  const run = (v: tf.Tensor) => tf.engine().runKernel(DROPOUT_WEBGPU, { x: v }, { seed, rate }) as tf.Tensor;
  return withCustomGradient(
    [x],
    ([xs]) => ({ value: run(xs), saved: [] }),
    (dy) => [run(dy)],
  );
}
