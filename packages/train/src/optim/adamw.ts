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
 */
export class AdamW {
  private step = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private readonly decays: boolean[];

  constructor(
    private readonly params: readonly tf.Variable[],
    private readonly config: AdamWConfig,
  ) {
    this.m = params.map((p) => tf.variable(tf.zerosLike(p), false));
    this.v = params.map((p) => tf.variable(tf.zerosLike(p), false));
    this.decays = params.map((p) => p.rank >= 2);
  }

  get stepCount(): number {
    return this.step;
  }

  /** One update with `grads[i]` for `params[i]` at learning rate `lr`. */
  apply(grads: readonly tf.Tensor[], lr: number): void {
    this.step += 1;
    const [b1, b2] = this.config.betas;
    const correction1 = 1 - b1 ** this.step;
    const correction2 = 1 - b2 ** this.step;
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const g = grads[i];
        const m = tf.add(tf.mul(b1, this.m[i]), tf.mul(1 - b1, g));
        const v = tf.add(tf.mul(b2, this.v[i]), tf.mul(1 - b2, tf.square(g)));
        const denom = tf.add(tf.sqrt(tf.div(v, correction2)), this.config.eps);
        const update = tf.div(tf.div(m, correction1), denom);
        const decayed = this.decays[i] && this.config.weightDecay > 0 ? tf.mul(p, 1 - lr * this.config.weightDecay) : p;
        p.assign(tf.sub(decayed, tf.mul(lr, update)));
        this.m[i].assign(m);
        this.v[i].assign(v);
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
      this.m[i].assign(tf.tensor(m, this.m[i].shape));
      this.v[i].assign(tf.tensor(v, this.v[i].shape));
    });
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
