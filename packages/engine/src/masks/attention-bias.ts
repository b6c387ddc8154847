import type { LayerMaskSpec } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import { modelErrors } from '../errors.js';
import { allowedPattern, specKey } from './allowed-pattern.js';

/**
 * What a blocked (query, key) pair gets added to its attention score: float32's most negative finite value, as
 * transformers does (`torch.finfo(float32).min`). The builder never adds two of them (which would give -inf and
 * NaN in a fully masked row): a pair is either allowed (0) or blocked (exactly this value).
 */
export const BLOCKED = -3.4028234663852886e38;

/** Options of a {@link MaskBuilder}. */
export interface MaskBuilderOptions {
  /** The model's own sliding window W (Mistral's `sliding_window`); undefined for none. */
  slidingWindow?: number;
  /** How many (spec, sequence length) patterns to keep before the oldest is disposed. */
  maxCachedPatterns?: number;
}

/**
 * Turns per-layer mask specs plus a padding mask into additive attention biases [B, 1, S, S].
 * Each distinct spec's [1, 1, S, S] pattern is built once per sequence length and cached (kept out of tf.tidy);
 * per batch, each distinct spec is combined with that batch's padding once and shared by every layer using it.
 * Padded keys are always blocked; padded query rows still see the real keys their spec allows.
 */
export class MaskBuilder {
  readonly slidingWindow: number | undefined;
  private readonly maxCached: number;
  private readonly patterns = new Map<string, tf.Tensor4D>();

  constructor(options: MaskBuilderOptions = {}) {
    this.slidingWindow = options.slidingWindow;
    this.maxCached = options.maxCachedPatterns ?? 16;
  }

  /** The cached 0/1 pattern [1, 1, S, S] of a spec (1 = allowed). Owned by the builder: do not dispose. */
  pattern(spec: LayerMaskSpec, seqLen: number): tf.Tensor4D {
    const key = `${specKey(spec)}@${seqLen}`;
    const hit = this.patterns.get(key);
    if (hit) {
      this.patterns.delete(key);
      this.patterns.set(key, hit);
      return hit;
    }
    const made = tf.keep(tf.tensor4d(allowedPattern(spec, seqLen, this.slidingWindow), [1, 1, seqLen, seqLen]));
    this.patterns.set(key, made);
    if (this.patterns.size > this.maxCached) {
      const [oldestKey, oldest] = this.patterns.entries().next().value as [string, tf.Tensor4D];
      this.patterns.delete(oldestKey);
      oldest.dispose();
    }
    return made;
  }

  /**
   * One additive bias [B, 1, S, S] per layer for this batch; layers with equal specs share one tensor. The
   * results are ordinary tensors of the caller's tf.tidy scope. `attentionMask` is [B, S] with 1 = real token.
   */
  biases(specs: readonly LayerMaskSpec[], attentionMask: tf.Tensor2D): tf.Tensor4D[] {
    const [batch, seqLen] = attentionMask.shape;
    const keyValid = tf.reshape(tf.cast(tf.notEqual(attentionMask, 0), 'float32'), [batch, 1, 1, seqLen]);
    const byKey = new Map<string, tf.Tensor4D>();
    const out = specs.map((spec, layer) => {
      checkSpec(spec, layer);
      const key = specKey(spec);
      let bias = byKey.get(key);
      if (!bias) {
        const allowed = tf.mul(this.pattern(spec, seqLen), keyValid);
        bias = tf.mul(tf.sub(1, allowed), BLOCKED) as tf.Tensor4D;
        byKey.set(key, bias);
      }
      return bias;
    });
    keyValid.dispose();
    return out;
  }

  /** How many patterns are cached (for tests and memory reports). */
  get cachedPatterns(): number {
    return this.patterns.size;
  }

  /** Frees every cached pattern. */
  dispose(): void {
    for (const t of this.patterns.values()) t.dispose();
    this.patterns.clear();
  }
}

function checkSpec(spec: LayerMaskSpec, layer: number): void {
  if (spec.kind !== 'window') return;
  const ok = (n: number) => Number.isInteger(n) && n >= 0;
  if (!ok(spec.left) || !ok(spec.right)) {
    throw modelErrors.maskSpecInvalid(layer, `window left=${spec.left} right=${spec.right}`);
  }
}
