import { webgpuAdamWActive, webgpuAdamWUpdate } from '@lookright/engine';
import { activeNative, adamwInPlaceAllowed, fusedAdamWUpdate } from '@lookright/native';
import * as tf from '@tensorflow/tfjs-core';

/** AdamW hyper-parameters (PyTorch semantics: weight decay decoupled from the gradient). */
export interface AdamWConfig {
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
}

/** Moments and step count, as plain arrays so a checkpoint can hold them. */
export interface AdamWState {
  step: number;
  moments: { m: Float32Array; v: Float32Array }[];
}

/**
 * AdamW over a fixed, ordered list of variables. Each step: p -= lr·wd·p (only where `decays[i]`), then the Adam
 * update p -= lr·m̂/(√v̂ + eps) with bias-corrected moments. Biases and norm scales (rank < 2) are not decayed,
 * as in the paper's Hugging Face Trainer.
 *
 * When @lookright/native's kernels are on for the current backend, each parameter is updated by one fused native
 * pass (fusedAdamWUpdate) instead of about a dozen tfjs ops; the kernel runs the same float32 operations in the
 * same order, so the numbers are bit-identical either way (tested in adamw-fused.spec.ts) and a cell's hash need
 * not tell the two apart. On webgpu the update runs as lookright's WGSL kernels (three dispatches per parameter,
 * hyper-parameters as uniforms; equal to the tfjs ops within 1e-6, adamw-webgpu.spec.ts).
 */
export class AdamW {
  private step = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private readonly decays: boolean[];
  /** A kept scalar 1, the gradient scale of the webgpu update without clipping. */
  private one: tf.Scalar | undefined;

  constructor(
    private readonly params: readonly tf.Variable[],
    private readonly config: AdamWConfig,
  ) {
    // Inside tidy, so each moment owns its buffer alone (the fused update then writes it in place).
    this.m = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    this.v = params.map((p) => tf.tidy(() => tf.variable(tf.zerosLike(p), false)));
    this.decays = params.map((p) => p.rank >= 2);
  }

  get stepCount(): number {
    return this.step;
  }

  /**
   * One update with `grads[i]` for `params[i]` at learning rate `lr`; `gradScale` (a scalar on the device, e.g. the
   * global-norm clipping factor) multiplies every gradient first. The caller keeps ownership of its tensors.
   */
  apply(grads: readonly tf.Tensor[], lr: number, gradScale: tf.Scalar | null = null): void {
    this.step += 1;
    if (activeNative()) this.applyFused(grads, lr, gradScale);
    else if (webgpuAdamWActive()) this.applyWebgpu(grads, lr, gradScale);
    else this.applyTfjs(grads, lr, gradScale);
  }

  private weightDecayOf(i: number): number {
    return this.decays[i] && this.config.weightDecay > 0 ? this.config.weightDecay : 0;
  }

  private applyTfjs(grads: readonly tf.Tensor[], lr: number, gradScale: tf.Scalar | null): void {
    const [b1, b2] = this.config.betas;
    const correction1 = 1 - b1 ** this.step;
    const correction2 = 1 - b2 ** this.step;
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const g = gradScale ? tf.mul(grads[i], gradScale) : grads[i];
        const m = tf.add(tf.mul(b1, this.m[i]), tf.mul(1 - b1, g));
        const v = tf.add(tf.mul(b2, this.v[i]), tf.mul(1 - b2, tf.square(g)));
        const denom = tf.add(tf.sqrt(tf.div(v, correction2)), this.config.eps);
        const update = tf.div(tf.div(m, correction1), denom);
        const decay = this.weightDecayOf(i);
        const decayed = decay > 0 ? tf.mul(p, 1 - lr * decay) : p;
        p.assign(tf.sub(decayed, tf.mul(lr, update)));
        this.m[i].assign(m);
        this.v[i].assign(v);
      });
    });
  }

  /** The fused kernels' settings for parameter `i` at this step. */
  private settingsOf(i: number, lr: number) {
    const [beta1, beta2] = this.config.betas;
    return { beta1, beta2, eps: this.config.eps, step: this.step, lr, weightDecay: this.weightDecayOf(i) };
  }

  /**
   * The same update through lookright's WGSL kernel on webgpu: three dispatches per parameter, the hyper-parameters
   * as uniforms (no scalar uploads). Without a clipping factor the gradient is scaled by a kept 1 (exact).
   */
  private applyWebgpu(grads: readonly tf.Tensor[], lr: number, gradScale: tf.Scalar | null): void {
    this.one ??= tf.keep(tf.scalar(1));
    const scale = gradScale ?? this.one;
    tf.tidy(() => {
      this.params.forEach((param, i) => {
        const next = webgpuAdamWUpdate({ param, m: this.m[i], v: this.v[i] }, grads[i], scale, this.settingsOf(i, lr));
        param.assign(next.param);
        this.m[i].assign(next.m);
        this.v[i].assign(next.v);
      });
    });
  }

  /** The same update through the native kernel; the clipping factor is read back (a plain memory read there). */
  private applyFused(grads: readonly tf.Tensor[], lr: number, gradScale: tf.Scalar | null): void {
    const scale = gradScale ? gradScale.dataSync()[0] : 1;
    const inPlace = adamwInPlaceAllowed();
    tf.tidy(() => {
      this.params.forEach((param, i) => {
        const settings = { ...this.settingsOf(i, lr), gradScale: scale };
        fusedAdamWUpdate({ param, m: this.m[i], v: this.v[i] }, grads[i], settings, inPlace);
      });
    });
  }

  /** Moments read back asynchronously (a GPU backend has no synchronous read in Node). */
  async getState(): Promise<AdamWState> {
    const read = async (t: tf.Tensor) => Float32Array.from((await t.data()) as Float32Array);
    const moments = await Promise.all(this.m.map(async (m, i) => ({ m: await read(m), v: await read(this.v[i]) })));
    return { step: this.step, moments };
  }

  setState(state: AdamWState): void {
    this.step = state.step;
    state.moments.forEach(({ m, v }, i) => {
      tf.tidy(() => {
        this.m[i].assign(tf.tensor(m, this.m[i].shape));
        this.v[i].assign(tf.tensor(v, this.v[i].shape));
      });
    });
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
    this.one?.dispose();
  }
}
