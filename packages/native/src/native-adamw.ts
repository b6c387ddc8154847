import {
  _FusedMatMul,
  BatchMatMul,
  getBackend,
  keep,
  type Tensor,
  type Variable,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { activeNative, nativeKernelActive } from './enable-native.js';
import { nativeErrors } from './errors.js';
import { wasmPackedWeightFallbacks } from './kernel-registry.js';
import { ADAMW, type AdamWStepAttrs } from './kernels/adamw.js';
import { runKernel } from './ops/custom-grad.js';

/** AdamW hyper-parameters (PyTorch's defaults are 0.9, 0.999, 1e-8, 0.01). */
export interface NativeAdamWConfig {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/**
 * Fused AdamW over tfjs variables, one native pass per parameter (moments and weight together).
 *
 * Visibility of the update to later matmuls: tfjs-wasm's XNNPACK matmul caches packed weights
 * per tensor id, so writing a weight's memory in place would be invisible to it. The update is
 * therefore done in place only where no such cache can read the weight: on the cpu backend, and on
 * wasm while the native BatchMatMul and _FusedMatMul kernels are installed and have never handed a case
 * back to wasm's own kernels (checked at every step: after the first such fallback, e.g. a fused matmul
 * with a relu, updates switch to fresh buffers, so the fallback never reads a stale packed weight). Otherwise it writes fresh buffers and `assign`s them (new tensor ids, no stale cache).
 * A variable whose memory another tensor shares (a clone, a reshape, the tensor it was created from) is
 * always updated into fresh buffers, so no other tensor ever sees a weight change.
 */
export class NativeAdamW {
  private readonly moments = new Map<Variable, { m: Tensor; v: Tensor }>();
  private stepCount = 0;

  constructor(private readonly config: NativeAdamWConfig) {}

  /** Number of steps taken so far. */
  get steps(): number {
    return this.stepCount;
  }

  /** Whether updates write variables in place on the current backend (see the class note). */
  inPlace(): boolean {
    if (getBackend() === 'cpu') return true;
    return nativeKernelActive(BatchMatMul) && nativeKernelActive(_FusedMatMul) && wasmPackedWeightFallbacks() === 0;
  }

  /**
   * Applies one step. `grads` maps each variable to its gradient (e.g. from tf.variableGrads);
   * `gradScale` multiplies every gradient first (clipping factor); `lr` overrides the base rate.
   */
  step(grads: ReadonlyMap<Variable, Tensor>, options: { lr?: number; gradScale?: number } = {}): void {
    const native = activeNative();
    if (!native) throw nativeErrors.notNative('NativeAdamW.step');
    this.stepCount += 1;
    const attrs: AdamWStepAttrs = {
      ...this.config,
      lr: options.lr ?? this.config.lr,
      step: this.stepCount,
      gradScale: options.gradScale ?? 1,
    };
    const inPlace = this.inPlace();
    for (const [variable, grad] of grads) {
      const state = this.state(variable);
      if (inPlace && native.mem.refCount(variable) === 1) {
        const { addon, mem } = native;
        const p = mem.f32(variable);
        const m = mem.f32(state.m);
        const v = mem.f32(state.v);
        const g = mem.f32(grad);
        const { lr, beta1, beta2, eps, weightDecay, step, gradScale } = attrs;
        addon.adamwStep(p, g, m, v, p, m, v, p.length, lr, beta1, beta2, eps, weightDecay, step, gradScale);
        continue;
      }
      const [p, m, v] = runKernel(ADAMW, { p: variable, g: grad, m: state.m, v: state.v }, { ...attrs });
      variable.assign(p);
      p.dispose();
      state.m.dispose();
      state.v.dispose();
      state.m = keep(m);
      state.v = keep(v);
    }
  }

  /** Frees the moment buffers. */
  dispose(): void {
    for (const s of this.moments.values()) {
      s.m.dispose();
      s.v.dispose();
    }
    this.moments.clear();
  }

  private state(variable: Variable): { m: Tensor; v: Tensor } {
    let s = this.moments.get(variable);
    if (!s) {
      s = { m: keep(zerosLike(variable)), v: keep(zerosLike(variable)) };
      this.moments.set(variable, s);
    }
    return s;
  }
}
