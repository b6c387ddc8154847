import type { LayerMaskSpec } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import {
  type AuditSequence,
  concatFloat32,
  deltasFromFirst,
  maxAbs,
  movedThreshold,
  otherToken,
  readAll,
  seededRandom,
  tileRows,
} from './audit-inputs.js';
import type { MaskAuditTarget } from './audit-target.js';

/**
 * Changes every padded token of the audit sequence and runs the whole model with the declared specs, in one batch
 * and as batches of one. Returns a description of the first real position whose output (any layer,
 * or the final hidden state) moved, or undefined when none did.
 */
export async function checkPaddingInvisible(
  model: MaskAuditTarget,
  specs: readonly LayerMaskSpec[],
  seq: AuditSequence,
  options: { tolerance: number; seed: number },
): Promise<string | undefined> {
  const random = seededRandom(options.seed);
  const changed = seq.ids.map((id, p) => (p < seq.realLength ? id : otherToken(id, model.config.vocabSize, random)));
  for (const together of [true, false]) {
    // rows: unchanged, padded tokens changed, unchanged control (its change is the backend's noise)
    const rows = [seq.ids, changed, seq.ids];
    const outputs = [];
    for (const batch of together ? [rows] : rows.map((row) => [row])) outputs.push(await run(model, specs, seq, batch));
    const layers = outputs[0].length;
    for (let l = 0; l < layers; l++) {
      const values = concatFloat32(outputs.map((o) => o[l]));
      const width = values.length / (3 * seq.seqLen);
      const deltas = deltasFromFirst(values, 3, seq.seqLen, width);
      const scale = maxAbs(values.subarray(0, seq.seqLen * width)) || 1;
      const threshold = movedThreshold(deltas, seq.seqLen, 2, scale, options.tolerance);
      for (let i = 0; i < seq.realLength; i++) {
        if (deltas[seq.seqLen + i] > threshold) {
          const where = l < layers - 1 ? `layer ${l} output` : 'the final hidden state';
          return `changing the padded tokens moved real position ${i} in ${where} (${together ? 'one batch' : 'batches of 1'})`;
        }
      }
    }
  }
  return undefined;
}

/** Layer outputs then the final hidden state, as values. */
async function run(model: MaskAuditTarget, specs: readonly LayerMaskSpec[], seq: AuditSequence, rows: Int32Array[]) {
  const outputs = tf.tidy(() => {
    const ids = tileRows(seq.ids, rows.length, (copy, r) => copy.set(rows[r]));
    const mask = tileRows(seq.mask, rows.length, () => {});
    const out = model.forward(ids, mask, specs, { outputLayers: true });
    return [...out.layerOutputs, out.lastHiddenState];
  });
  return readAll(outputs);
}
