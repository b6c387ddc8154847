import * as tf from '@tensorflow/tfjs-core';
import { ADAMW } from './bench-config.js';

/**
 * AdamW in plain tfjs ops (PyTorch's formula: decoupled decay, bias-corrected moments), the optimizer the
 * benchmark uses when native kernels are off. Moments are non-trainable variables updated with assign.
 */
export class TfjsAdamW {
  private readonly moments = new Map<tf.Variable, { m: tf.Variable; v: tf.Variable }>();
  private step = 0;

  update(grads: ReadonlyMap<tf.Variable, tf.Tensor>): void {
    this.step += 1;
    const { lr, beta1, beta2, eps, weightDecay } = ADAMW;
    const stepSize = lr / (1 - beta1 ** this.step);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** this.step);
    for (const [p, g] of grads) {
      const s = this.state(p);
      tf.tidy(() => {
        const m = tf.add(tf.mul(s.m, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(s.v, beta2), tf.mul(tf.square(g), 1 - beta2));
        const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), eps);
        s.m.assign(m);
        s.v.assign(v);
        p.assign(tf.sub(tf.mul(p, 1 - lr * weightDecay), tf.mul(tf.div(m, denom), stepSize)));
      });
    }
  }

  dispose(): void {
    for (const s of this.moments.values()) tf.dispose([s.m, s.v]);
    this.moments.clear();
  }

  private state(p: tf.Variable): { m: tf.Variable; v: tf.Variable } {
    let s = this.moments.get(p);
    if (!s) {
      s = { m: tf.variable(tf.zerosLike(p), false), v: tf.variable(tf.zerosLike(p), false) };
      this.moments.set(p, s);
    }
    return s;
  }
}
