/**
 * AdamW's update of one parameter as WGSL kernels for the webgpu backend: three dispatches (new m, new v, new p),
 * each reading the old p, m, v and the gradient, with every hyper-parameter passed as a uniform instead of a scalar
 * tensor uploaded per use (tfjs ops take about 15 dispatches and 9 scalar uploads per parameter). The formulas and
 * their order are those of the trainer's tfjs AdamW (packages/train/src/optim/adamw.ts):
 * g = grad · gradScale; m' = b1 m + (1 - b1) g; v' = b2 v + (1 - b2) g²;
 * p' = p (1 - lr wd) - lr ((m' / c1) / (sqrt(v' / c2) + eps)), c1 = 1 - b1^t, c2 = 1 - b2^t.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ElementwiseProgram, runProgram } from './webgpu-program.js';

/** Kernel: inputs p, m, v, g and gradScale (a scalar tensor); attrs AdamWUpdateSettings and `output` (which one). */
export const ADAMW_WEBGPU = 'LookrightWebgpuAdamW';

/** One step's settings for every parameter; the numbers are rounded to f32 as tfjs rounds its scalars. */
export interface AdamWUpdateSettings {
  beta1: number;
  beta2: number;
  eps: number;
  /** The step number t (from 1) of the bias corrections. */
  step: number;
  lr: number;
  /** Decoupled weight decay of this parameter (0: none). */
  weightDecay: number;
}

type Output = 'm' | 'v' | 'p';

const uniforms =
  'b1 : f32, oneMinusB1 : f32, b2 : f32, oneMinusB2 : f32, c1 : f32, c2 : f32, eps : f32, lr : f32, keep : f32,';

const gradient = 'let g = G[index] * S[0];';
const newM = 'let m = uniforms.b1 * M[index] + uniforms.oneMinusB1 * g;';
const newV = 'let v = uniforms.b2 * V[index] + uniforms.oneMinusB2 * (g * g);';

/** Per output: the inputs it reads (WebGPU's automatic layout drops unread bindings) and its WGSL. */
const programs: Record<Output, { names: string[]; body: string }> = {
  m: { names: ['M', 'G', 'S'], body: `${gradient} ${newM} result[index] = m;` },
  v: { names: ['V', 'G', 'S'], body: `${gradient} ${newV} result[index] = v;` },
  p: {
    names: ['P', 'M', 'V', 'G', 'S'],
    body: `${gradient} ${newM} ${newV}
      let update = (m / uniforms.c1) / (sqrt(v / uniforms.c2) + uniforms.eps);
      var decayed = P[index];
      if (uniforms.keep != 1.0) { decayed = decayed * uniforms.keep; }
      result[index] = decayed - uniforms.lr * update;`,
  },
};

/** Registers the kernel for the webgpu backend (once). */
export function registerAdamWKernel(): void {
  if (tf.getKernel(ADAMW_WEBGPU, 'webgpu')) return;
  tf.registerKernel({
    kernelName: ADAMW_WEBGPU,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { p, m, v, g, gradScale } = inputs as Record<'p' | 'm' | 'v' | 'g' | 'gradScale', tf.TensorInfo>;
      const s = attrs as unknown as AdamWUpdateSettings & { output: Output };
      const { names, body } = programs[s.output];
      const program = new ElementwiseProgram(names, p.shape, `lookrightAdamW_${s.output}`, body, '', uniforms);
      const byName: Record<string, tf.TensorInfo> = { P: p, M: m, V: v, G: g, S: gradScale };
      const values = [
        s.beta1,
        1 - s.beta1,
        s.beta2,
        1 - s.beta2,
        1 - s.beta1 ** s.step,
        1 - s.beta2 ** s.step,
        s.eps,
        s.lr,
        s.weightDecay > 0 ? 1 - s.lr * s.weightDecay : 1,
      ];
      const data = values.map((x) => ({ type: 'float32' as const, data: [x] }));
      return runProgram(
        backend,
        program,
        names.map((n) => byName[n]),
        data,
      );
    },
  });
}

/** Whether the current backend is webgpu with the kernel registered (startWebgpu registers it). */
export function webgpuAdamWActive(): boolean {
  return tf.getBackend() === 'webgpu' && tf.getKernel(ADAMW_WEBGPU, 'webgpu') !== undefined;
}

/**
 * The new parameter and moments of one AdamW step (the caller assigns them); `gradScale` multiplies the gradient
 * first (the clipping factor, a scalar on the device; ones when none). Only on the webgpu backend.
 */
export function webgpuAdamWUpdate(
  state: { param: tf.Tensor; m: tf.Tensor; v: tf.Tensor },
  grad: tf.Tensor,
  gradScale: tf.Scalar,
  settings: AdamWUpdateSettings,
): { param: tf.Tensor; m: tf.Tensor; v: tf.Tensor } {
  const inputs = { p: state.param, m: state.m, v: state.v, g: grad, gradScale };
  const run = (output: Output) =>
    tf.engine().runKernel(ADAMW_WEBGPU, inputs, { ...settings, output } as unknown as tf.NamedAttrMap) as tf.Tensor;
  return { m: run('m'), v: run('v'), param: run('p') };
}
