/**
 * SwiGLU (silu(gate) · up) as fused WGSL kernels for the webgpu backend, with the engine's `swiglu` gradient (see
 * swiglu.ts): one invocation per element each for y, dgate and dup, s = 1 / (1 + exp(-gate)) recomputed in each.
 */
import * as tf from '@tensorflow/tfjs-core';
import { withCustomGradient } from './custom-gradient.js';
import { ElementwiseProgram, runProgram } from './webgpu-program.js';

/** Forward kernel: inputs gate, up (same shape); output silu(gate) · up. */
export const SWIGLU_WEBGPU = 'LookrightWebgpuSwiglu';
/** Backward kernel: inputs gate, up, dy; outputs dgate and dup. */
export const SWIGLU_GRAD_WEBGPU = 'LookrightWebgpuSwigluGrad';

const sigmoid = 'fn sigmoidOf(g : f32) -> f32 { return 1.0 / (1.0 + exp(-g)); }';

const program = (names: string[], shape: number[], key: string, body: string) =>
  new ElementwiseProgram(names, shape, key, body, sigmoid);

/** Registers both kernels for the webgpu backend (once). */
export function registerSwigluKernels(): void {
  if (tf.getKernel(SWIGLU_WEBGPU, 'webgpu')) return;
  tf.registerKernel({
    kernelName: SWIGLU_WEBGPU,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend }) => {
      const { gate, up } = inputs as Record<'gate' | 'up', tf.TensorInfo>;
      const forward = program(
        ['G', 'U'],
        gate.shape,
        'lookrightSwiglu',
        'let g = G[index]; result[index] = (g * sigmoidOf(g)) * U[index];',
      );
      return runProgram(backend, forward, [gate, up]);
    },
  });
  tf.registerKernel({
    kernelName: SWIGLU_GRAD_WEBGPU,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend }) => {
      const { gate, up, dy } = inputs as Record<'gate' | 'up' | 'dy', tf.TensorInfo>;
      const dgate = program(
        ['G', 'U', 'DY'],
        gate.shape,
        'lookrightSwigluDgate',
        'let g = G[index]; let s = sigmoidOf(g); result[index] = (DY[index] * U[index]) * (s * (1.0 + g * (1.0 - s)));',
      );
      const dup = program(
        ['G', 'DY'],
        gate.shape,
        'lookrightSwigluDup',
        'let g = G[index]; result[index] = DY[index] * (g * sigmoidOf(g));',
      );
      return [runProgram(backend, dgate, [gate, up, dy]), runProgram(backend, dup, [gate, dy])];
    },
  });
}

/** The engine's swiglu on the fused kernels (gradients for gate and up). */
export function webgpuSwiglu(gate: tf.Tensor, up: tf.Tensor): tf.Tensor {
  return withCustomGradient(
    [gate, up],
    ([g, u]) => ({ value: tf.engine().runKernel(SWIGLU_WEBGPU, { gate: g, up: u }) as tf.Tensor, saved: [g, u] }),
    (dy, [g, u]) => tf.engine().runKernel(SWIGLU_GRAD_WEBGPU, { gate: g, up: u, dy }) as tf.Tensor[],
  );
}
