import type { SeededRng } from '@lookright/core';
import { trainingOps } from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Dropout then a dense projection from hidden states to one score per label, shared by the linear and CRF heads.
 * Initialised like torch.nn.Linear (uniform in ±1/sqrt(fanIn)) from a seeded stream.
 */
export class EmissionLayer {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;

  constructor(
    readonly hiddenSize: number,
    readonly numLabels: number,
    private readonly dropoutRate: number,
    rng: SeededRng,
  ) {
    const bound = 1 / Math.sqrt(hiddenSize);
    // inside tidy: the initial tensors are disposed, the variables keep their data
    this.weight = tf.tidy(() =>
      tf.variable(tf.tensor2d(rng.uniform(hiddenSize * numLabels, -bound, bound), [hiddenSize, numLabels])),
    );
    this.bias = tf.tidy(() => tf.variable(tf.tensor1d(rng.uniform(numLabels, -bound, bound))));
  }

  /**
   * [batch, tokens, hidden] -> [batch, tokens, labels]. Dropout only when `dropoutSeed` is given, with the engine's
   * CPU-drawn mask on every backend (hostMaskDropout: webgpu draws other masks; a head that matches across backends
   * keeps the webgpu-vs-wasm parity checks meaningful; native draws the same mask in C).
   */
  apply(hidden: tf.Tensor3D, dropoutSeed: number | null): tf.Tensor3D {
    const ops = trainingOps();
    const dropped =
      dropoutSeed !== null && this.dropoutRate > 0
        ? ops.hostMaskDropout(hidden, this.dropoutRate, dropoutSeed)
        : hidden;
    // the engine's linear op (native when enabled): explicit-transpose gradients, wasm's flagged matMul is ~10x slower
    return ops.linear(dropped, this.weight as tf.Tensor2D, this.bias as tf.Tensor1D) as tf.Tensor3D;
  }

  variables(): tf.Variable[] {
    return [this.weight, this.bias];
  }

  dispose(): void {
    this.weight.dispose();
    this.bias.dispose();
  }
}
