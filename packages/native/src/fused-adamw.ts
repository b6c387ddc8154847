import type { AdamWUpdateSettings } from '@lookright/engine';
import { _FusedMatMul, BatchMatMul, getBackend, type Tensor, type Variable } from '@tensorflow/tfjs-core';
import { activeNative, nativeKernelActive } from './enable-native.js';
import { nativeErrors } from './errors.js';
import { wasmPackedWeightFallbacks } from './kernel-registry.js';
import { ADAMW, ADAMW_SCALAR_ORDER, type AdamWScalars } from './kernels/adamw.js';
import { runKernel } from './ops/custom-grad.js';

/** A parameter and its two AdamW moments, all float32 variables of the same shape. */
export interface AdamWSlot {
  param: Variable;
  m: Variable;
  v: Variable;
}

/**
 * What one AdamW step needs to know besides the parameter: the engine's per-parameter settings (hyper-parameters,
 * step number, rate, weight decay) and the factor the gradient is multiplied by first (global-norm clipping; 1 for
 * none).
 */
export interface AdamWStepSettings extends AdamWUpdateSettings {
  gradScale: number;
}

/** The kernel's scalars, computed in float64 exactly as @lookright/train's tfjs AdamW computes its scalar operands. */
export function adamwScalars(s: AdamWStepSettings): AdamWScalars {
  return {
    beta1: s.beta1,
    oneMinusBeta1: 1 - s.beta1,
    beta2: s.beta2,
    oneMinusBeta2: 1 - s.beta2,
    correction1: 1 - s.beta1 ** s.step,
    correction2: 1 - s.beta2 ** s.step,
    eps: s.eps,
    decay: 1 - s.lr * s.weightDecay,
    lr: s.lr,
    gradScale: s.gradScale,
  };
}

/**
 * Whether parameters may be written in place on the current backend. tfjs-wasm's XNNPACK matmul caches packed
 * weights per tensor id, so writing a weight's memory in place would be invisible to it. In place is therefore
 * allowed only where no such cache can read the weight: on the cpu backend, and on wasm while the native
 * BatchMatMul and _FusedMatMul kernels are installed and have never handed a case back to wasm's own kernels
 * (checked at every step: after the first such fallback, e.g. a fused matmul with a relu, updates switch to fresh
 * buffers, so the fallback never reads a stale packed weight).
 */
export function adamwInPlaceAllowed(): boolean {
  if (getBackend() === 'cpu') return true;
  return nativeKernelActive(BatchMatMul) && nativeKernelActive(_FusedMatMul) && wasmPackedWeightFallbacks() === 0;
}

/**
 * One fused AdamW update of `slot` with `grad` (one native pass over weight and moments), bit-identical to
 * @lookright/train's tfjs AdamW. Written in place when `inPlace` (see adamwInPlaceAllowed) and no other tensor
 * shares the parameter's or a moment's memory (a clone, a reshape, the tensor it was created from); otherwise into
 * fresh buffers that are assigned, so no other tensor ever sees a weight change and no packed-weight cache is stale.
 */
export function fusedAdamWUpdate(slot: AdamWSlot, grad: Tensor, settings: AdamWStepSettings, inPlace: boolean): void {
  const native = activeNative();
  if (!native) throw nativeErrors.notNative('the fused AdamW update');
  const scalars = adamwScalars(settings);
  const { param, m, v } = slot;
  const { addon, mem } = native;
  if (inPlace && [param, m, v].every((t) => mem.refCount(t) === 1)) {
    const [p, pm, pv] = [param, m, v].map((t) => mem.f32(t));
    const values = ADAMW_SCALAR_ORDER.map((k) => scalars[k]);
    addon.adamwUpdate(p, mem.f32(grad), pm, pv, p, pm, pv, p.length, ...values);
    return;
  }
  const outs = runKernel(ADAMW, { p: param, g: grad, m, v }, { ...scalars });
  [param, m, v].forEach((variable, i) => {
    variable.assign(outs[i]);
    outs[i].dispose();
  });
}
