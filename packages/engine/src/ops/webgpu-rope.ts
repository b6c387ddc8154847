/**
 * RoPE as one WGSL kernel for the webgpu backend, forward and backward (the engine's `applyRope`, see rope.ts), on
 * x [B, S, heads, D] with tables cos and sinSigned holding S × D values. With p(d) = (d + D/2) mod D the partner
 * of column d: y[d] = x[d] cos[s, d] + x[p(d)] sinSigned[s, d], and dx[d] = dy[d] cos[s, d] + dy[p(d)]
 * sinSigned[s, p(d)] (rope.ts's dy cos + swapHalves(dy sinSigned)).
 */
import * as tf from '@tensorflow/tfjs-core';
import { withCustomGradient } from './custom-gradient.js';
import { applyRope } from './rope.js';
import { ElementwiseProgram, runProgram } from './webgpu-program.js';

/** Kernel: inputs x [B, S, H, D], cos, sin (S × D values each); attr backward (x is then dy). */
export const ROPE_WEBGPU = 'LookrightWebgpuRope';

const rope = (shape: number[], backward: boolean) =>
  new ElementwiseProgram(
    ['X', 'C', 'S'],
    shape,
    `lookrightRope_${backward}`,
    `
      let d = uniforms.xShape.w;
      let col = index % d;
      let pos = (index / (uniforms.xShape.z * d)) % uniforms.xShape.y;
      let partner = (col + d / 2) % d;
      let other = index - col + partner;
      result[index] = X[index] * C[pos * d + col] + X[other] * S[pos * d + ${backward ? 'partner' : 'col'}];`,
  );

/** Registers the kernel for the webgpu backend (once). */
export function registerRopeKernel(): void {
  if (tf.getKernel(ROPE_WEBGPU, 'webgpu')) return;
  tf.registerKernel({
    kernelName: ROPE_WEBGPU,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, cos, sin } = inputs as Record<'x' | 'cos' | 'sin', tf.TensorInfo>;
      return runProgram(backend, rope(x.shape, (attrs as { backward: boolean }).backward), [x, cos, sin]);
    },
  });
}

/**
 * The engine's applyRope on the fused kernel when x is [B, S, H, D] with an even D and the tables hold S × D
 * values (the decoder's case); any other layout takes the tfjs composition.
 */
export function webgpuApplyRope(x: tf.Tensor, cos: tf.Tensor, sinSigned: tf.Tensor): tf.Tensor {
  const [, seqLen, , headDim] = x.shape;
  const fits = x.rank === 4 && headDim % 2 === 0 && cos.size === seqLen * headDim && sinSigned.size === cos.size;
  if (!fits) return applyRope(x, cos, sinSigned);
  const run = (v: tf.Tensor, c: tf.Tensor, s: tf.Tensor, backward: boolean) =>
    tf.engine().runKernel(ROPE_WEBGPU, { x: v, cos: c, sin: s }, { backward }) as tf.Tensor;
  return withCustomGradient(
    [x],
    ([xs]) => ({ value: run(xs, cos, sinSigned, false), saved: [cos, sinSigned] }),
    (dy, [c, s]) => [run(dy, c, s, true)],
  );
}
