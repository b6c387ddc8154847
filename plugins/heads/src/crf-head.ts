import type { HeadBuildSpec, ScoredPositions, TokenHead } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import { type CrfParams, crfNegLogLikelihood } from './crf/crf-log-likelihood.js';
import { type AllowedTransitions, allowedTransitions, firstForbiddenStep } from './crf/tag-transitions.js';
import { type ChainScores, viterbi } from './crf/viterbi.js';
import { EmissionLayer } from './emission-layer.js';
import { headErrors } from './errors.js';

/** Added to a forbidden transition's score: exp(-1e4) is exactly 0 in float32, yet gradients stay finite. */
const FORBIDDEN = -1e4;

/**
 * Dropout, linear emissions at the scored positions, then a linear-chain CRF over words: forward-algorithm loss and
 * Viterbi decoding, with transitions the tag scheme forbids (IOB2: O -> I-X, B-X -> I-Y, start -> I-X) excluded.
 */
export class CrfHead implements TokenHead {
  readonly type = 'crf';
  readonly numLabels: number;
  private readonly layer: EmissionLayer;
  private readonly transitions: tf.Variable;
  private readonly start: tf.Variable;
  private readonly end: tf.Variable;
  private readonly allowed: AllowedTransitions;
  private readonly penalties: Pick<CrfParams, 'transitionPenalty' | 'startPenalty' | 'endPenalty'>;

  constructor(
    private readonly spec: HeadBuildSpec,
    readonly constrained = true,
  ) {
    const k = spec.labels.length;
    this.numLabels = k;
    this.layer = new EmissionLayer(spec.hiddenSize, k, spec.dropout, spec.rng);
    // inside tidy: the initial tensors are disposed, the variables keep their data
    this.transitions = tf.tidy(() => tf.variable(tf.tensor2d(spec.rng.uniform(k * k, -0.1, 0.1), [k, k])));
    this.start = tf.tidy(() => tf.variable(tf.tensor1d(spec.rng.uniform(k, -0.1, 0.1))));
    this.end = tf.tidy(() => tf.variable(tf.tensor1d(spec.rng.uniform(k, -0.1, 0.1))));
    this.allowed = allowedTransitions(spec.labels, constrained ? spec.scheme : 'none');
    const penalty = (ok: boolean) => (ok ? 0 : FORBIDDEN);
    this.penalties = {
      transitionPenalty: tf.tensor2d(this.allowed.pair.map((row) => row.map(penalty))),
      startPenalty: tf.tensor1d(this.allowed.start.map(penalty)),
      endPenalty: tf.tensor1d(this.allowed.end.map(penalty)),
    };
  }

  variables(): tf.Variable[] {
    return [...this.layer.variables(), this.transitions, this.start, this.end];
  }

  loss(hidden: tf.Tensor3D, target: Required<ScoredPositions>, dropoutSeed: number | null): tf.Scalar {
    target.labels.forEach((path, b) => {
      if (path.length === 0) throw headErrors.emptySentence(b);
      const bad = firstForbiddenStep(path, this.allowed);
      if (bad >= 0)
        throw headErrors.invalidGoldPath(
          b,
          bad,
          path.map((l) => this.spec.labels[l]),
          this.spec.scheme,
        );
    });
    const words = this.wordEmissions(hidden, target.positions, dropoutSeed);
    return crfNegLogLikelihood(words, target.labels, this.params());
  }

  async decode(hidden: tf.Tensor3D, scored: ScoredPositions): Promise<number[][]> {
    const words = tf.tidy(() => this.wordEmissions(hidden, scored.positions, null));
    const emissions = await words.array();
    words.dispose();
    const chain = await this.chainScores();
    return scored.positions.map((row, b) => viterbi(emissions[b].slice(0, row.length), chain));
  }

  /** Current transition scores in plain arrays, forbidden ones as -Infinity. */
  async chainScores(): Promise<ChainScores> {
    const forbid = (ok: boolean, v: number) => (ok ? v : Number.NEGATIVE_INFINITY);
    const trans = (await this.transitions.array()) as number[][];
    const start = (await this.start.array()) as number[];
    const end = (await this.end.array()) as number[];
    return {
      transitions: trans.map((row, i) => row.map((v, j) => forbid(this.allowed.pair[i][j], v))),
      start: start.map((v, j) => forbid(this.allowed.start[j], v)),
      end: end.map((v, j) => forbid(this.allowed.end[j], v)),
    };
  }

  dispose(): void {
    for (const v of this.variables()) v.dispose();
    for (const t of Object.values(this.penalties)) t.dispose();
  }

  private params(): CrfParams {
    return {
      transitions: this.transitions as tf.Tensor2D,
      start: this.start as tf.Tensor1D,
      end: this.end as tf.Tensor1D,
      ...this.penalties,
    };
  }

  /**
   * [batch, maxWords, labels] emissions at the scored positions. Selection by a one-hot matrix product rather than
   * tf.gather, whose gradient (UnsortedSegmentSum) the wasm backend lacks.
   */
  private wordEmissions(hidden: tf.Tensor3D, positions: number[][], dropoutSeed: number | null): tf.Tensor3D {
    const [batch, tokens] = hidden.shape;
    const maxWords = Math.max(1, ...positions.map((p) => p.length));
    const select = new Float32Array(batch * maxWords * batch * tokens);
    positions.forEach((row, b) => {
      row.forEach((p, w) => {
        select[(b * maxWords + w) * batch * tokens + b * tokens + p] = 1;
      });
    });
    const emissions = this.layer.apply(hidden, dropoutSeed);
    const flat = tf.reshape(emissions, [batch * tokens, this.numLabels]) as tf.Tensor2D;
    const picked = tf.matMul(tf.tensor2d(select, [batch * maxWords, batch * tokens]), flat);
    return tf.reshape(picked, [batch, maxWords, this.numLabels]) as tf.Tensor3D;
  }
}
