import type { LayerMaskSpec } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import { deltasFromFirst, maxAbs, movedThreshold, seededRandom } from './audit-inputs.js';
import type { MaskAuditTarget } from './audit-target.js';
import type { Visibility } from './visibility.js';

/** What one layer was seen to do, with the numbers behind the decision. */
export interface LayerObservation {
  visibility: Visibility;
  /** Smallest output change counted as "sees" and largest counted as "does not see", relative to the output scale. */
  weakestSeen: number;
  strongestUnseen: number;
}

/**
 * Runs layer `layer` alone on its real input hidden states, once unchanged and once per key position j with only
 * row j of the input replaced by a random vector (all in one batch). Query i "sees" key j when its output moves
 * by more than the noise measured on an unchanged control row (and more than `tolerance` x the output scale). Because only this layer runs, what earlier layers let through
 * cannot be mistaken for this layer's lookahead.
 */
export async function observeLayer(
  model: MaskAuditTarget,
  layer: number,
  hidden: tf.Tensor3D,
  attentionMask: Int32Array,
  realLength: number,
  spec: LayerMaskSpec,
  options: { tolerance: number; seed: number },
): Promise<LayerObservation> {
  const [, seqLen, width] = hidden.shape;
  const base = await hidden.data();
  const random = seededRandom(options.seed + layer);
  const batch = seqLen + 2; // row 0 unchanged, row 1 + j with position j replaced, the last an unchanged control
  const data = new Float32Array(batch * seqLen * width);
  for (let b = 0; b < batch; b++) data.set(base, b * seqLen * width);
  for (let j = 0; j < seqLen; j++) {
    const row = (j + 1) * seqLen * width + j * width;
    let rms = 0;
    for (let h = 0; h < width; h++) rms += base[j * width + h] ** 2;
    rms = Math.sqrt(rms / width) || 1;
    for (let h = 0; h < width; h++) data[row + h] = (random() * 2 - 1) * Math.sqrt(3) * rms;
  }
  const outputs = tf.tidy(() => {
    const input = tf.tensor3d(data, [batch, seqLen, width]);
    const mask = tf.tensor2d(
      Int32Array.from({ length: batch * seqLen }, (_, n) => attentionMask[n % seqLen]),
      [batch, seqLen],
      'int32',
    );
    return model.forwardLayer(layer, input, mask, spec);
  });
  const values = (await outputs.data()) as Float32Array;
  outputs.dispose();
  const deltas = deltasFromFirst(values, batch, seqLen, width);
  const scale = maxAbs(values.subarray(0, seqLen * width)) || 1;
  const threshold = movedThreshold(deltas, seqLen, batch - 1, scale, options.tolerance);
  const cells = new Uint8Array(realLength * seqLen);
  let weakestSeen = Number.POSITIVE_INFINITY;
  let strongestUnseen = 0;
  for (let i = 0; i < realLength; i++) {
    for (let j = 0; j < seqLen; j++) {
      const delta = deltas[(j + 1) * seqLen + i];
      const seen = delta > threshold;
      const moved = delta / scale;
      cells[i * seqLen + j] = seen ? 1 : 0;
      if (seen) weakestSeen = Math.min(weakestSeen, moved);
      else strongestUnseen = Math.max(strongestUnseen, moved);
    }
  }
  return { visibility: { rows: realLength, cols: seqLen, cells }, weakestSeen, strongestUnseen };
}
