/**
 * A fused LoRA linear for tfjs-backend-webgpu: y = x·W + s·(x·A)·B (+ bias) for x [M, K], a frozen f32 W [K, N], the
 * adapter A [K, r], B [r, N] and a scaling s baked into the shader. The low-rank product u = x·A is one tf.matMul;
 * one kernel then computes x·W + s·u·B + bias as a single product over the inner dimension K + r ([x, s·u] · [W; B]),
 * tiled like the packed-weight matmul (ops/webgpu-matmul16.ts), with f32 accumulation: two dispatches where the
 * composition takes six with a bias (x·W, + bias, x·A, ·B, s·, +). Gradients use stock ops:
 * dx = dy·Wᵀ + s·(dy·Bᵀ)·Aᵀ, dA = xᵀ·(s·dy·Bᵀ), dB = s·uᵀ·dy, dbias = Σ_rows dy; W gets none (frozen). Not yet used
 * by the decoder's projections (layers/projection.ts), which compose LoRA with its dropout on the adapter's input.
 */
import * as tf from '@tensorflow/tfjs-core';
import { modelErrors } from '../errors.js';
import { isTrainable, withCustomGradient } from './custom-gradient.js';
import { sumOverRows } from './transpose-2d.js';
import { runProgram, wgslFloat } from './webgpu-program.js';
import { stageTileBWgsl, TiledMatMulProgram, type TiledMatMulShader } from './webgpu-tiled-matmul.js';

/** The tfjs kernel name; inputs `x`, `w`, `u` (= x·A), `b` and optionally `bias`; attr `scaling`. */
export const LORA_MATMUL_KERNEL = 'LookrightLoraMatMul';

/** out[m, n] = Σ_k<K x[m, k]·W[k, n] + s·Σ_j<r u[m, j]·B[j, n] (+ bias[n]): one product over [x, s·u] · [W; B]. */
class LoraMatMulProgram extends TiledMatMulProgram {
  constructor(
    outputShape: [number, number],
    readonly scaling: number,
    readonly hasBias: boolean,
  ) {
    super(
      outputShape,
      hasBias ? ['X', 'W', 'U', 'B', 'Bias'] : ['X', 'W', 'U', 'B'],
      `lookrightLoraMatMul_${scaling}_${hasBias}`,
    );
  }

  protected shader(): TiledMatMulShader {
    return {
      dims: 'let rows = uniforms.xShape.x; let inner = uniforms.xShape.y; let rank = uniforms.uShape.y; let cols = uniforms.outShape.y;',
      depth: 'inner + rank',
      fillA: `if (gr < rows && gc < inner) { a = X[gr * inner + gc]; }
        else if (gr < rows && gc < inner + rank) { a = ${wgslFloat(this.scaling)} * U[gr * rank + gc - inner]; }`,
      stageB: stageTileBWgsl(`if (gj < cols && gi < inner) { b = W[gi * cols + gj]; }
        else if (gj < cols && gi < inner + rank) { b = B[(gi - inner) * cols + gj]; }`),
      addend: this.hasBias ? ' + Bias[c]' : '',
    };
  }
}

/** Registers the kernel for the `webgpu` backend (once). */
export function registerLoraMatMulKernel(): void {
  if (tf.getKernel(LORA_MATMUL_KERNEL, 'webgpu')) return;
  tf.registerKernel({
    kernelName: LORA_MATMUL_KERNEL,
    backendName: 'webgpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, w, u, b, bias } = inputs as Record<string, tf.TensorInfo>;
      const { scaling } = attrs as unknown as { scaling: number };
      const program = new LoraMatMulProgram([x.shape[0], w.shape[1]], scaling, bias !== undefined);
      return runProgram(backend, program, bias ? [x, w, u, b, bias] : [x, w, u, b]);
    },
  });
}

/**
 * y = x·W (+ bias) + scaling·(x·A)·B over the last axis of x, W frozen (no gradient), on the webgpu backend (others
 * are refused with LORA_FUSED_UNSUPPORTED). x, A and B, and a trainable bias, get their gradients.
 */
export function fusedLoraLinear(
  x: tf.Tensor,
  w: tf.Tensor2D,
  a: tf.Tensor2D,
  b: tf.Tensor2D,
  scaling: number,
  bias?: tf.Tensor1D,
): tf.Tensor {
  const backend = tf.getBackend();
  if (!tf.getKernel(LORA_MATMUL_KERNEL, backend)) throw modelErrors.fusedLoraUnsupported(backend);
  const [inFeatures, outFeatures] = w.shape;
  const lead = x.shape.slice(0, -1);
  const trainBias = bias !== undefined && isTrainable(bias);
  return tf.tidy(() => {
    const x2 = tf.reshape(x, [-1, inFeatures]) as tf.Tensor2D;
    const y2 = withCustomGradient(
      trainBias ? [x2, a, b, bias] : [x2, a, b],
      ([xi, ai, bi]) => {
        const u = tf.matMul(xi as tf.Tensor2D, ai as tf.Tensor2D);
        const inputs: tf.NamedTensorMap = bias ? { x: xi, w, u, b: bi, bias } : { x: xi, w, u, b: bi };
        const value = tf.engine().runKernel(LORA_MATMUL_KERNEL, inputs, { scaling } as never) as tf.Tensor2D;
        return { value, saved: [xi, u] };
      },
      (dy, [xi, u]) => {
        const g = tf.mul(tf.matMul(dy, b, false, true), scaling); // s·dy·Bᵀ [M, r]
        const dx = tf.add(tf.matMul(dy, w, false, true), tf.matMul(g, a, false, true));
        const da = tf.matMul(xi, g, true, false);
        const db = tf.mul(tf.matMul(u, dy, true, false), scaling);
        return trainBias ? [dx, da, db, sumOverRows(dy)] : [dx, da, db];
      },
    );
    return tf.reshape(y2, [...lead, outFeatures]);
  });
}
