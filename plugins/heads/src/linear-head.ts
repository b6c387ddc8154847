import type { HeadBuildSpec, ScoredPositions, TokenHead } from '@lookright/core';
import { denseLabels, maskedCrossEntropy } from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';
import { EmissionLayer } from './emission-layer.js';

/** Dropout, then linear, trained with cross-entropy that ignores -100 positions; decodes by argmax. */
export class LinearHead implements TokenHead {
  readonly type = 'linear';
  readonly numLabels: number;
  private readonly layer: EmissionLayer;

  constructor(spec: HeadBuildSpec) {
    this.numLabels = spec.labels.length;
    this.layer = new EmissionLayer(spec.hiddenSize, this.numLabels, spec.dropout, spec.rng);
  }

  variables(): tf.Variable[] {
    return this.layer.variables();
  }

  loss(hidden: tf.Tensor3D, target: Required<ScoredPositions>, dropoutSeed: number | null): tf.Scalar {
    const logits = this.layer.apply(hidden, dropoutSeed);
    return maskedCrossEntropy(logits, denseLabels(target.positions, target.labels, hidden.shape[1]));
  }

  async decode(hidden: tf.Tensor3D, scored: ScoredPositions): Promise<number[][]> {
    const best = tf.tidy(() => tf.argMax(this.layer.apply(hidden, null), -1));
    const ids = (await best.array()) as number[][];
    best.dispose();
    return scored.positions.map((row, b) => row.map((p) => ids[b][p]));
  }

  dispose(): void {
    this.layer.dispose();
  }
}
