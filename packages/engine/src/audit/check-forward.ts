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
import { declaredSees, type VisibilityContext } from './visibility.js';

/** Whole-model checks: per layer, the number of mismatching (perturbed token, query) pairs. */
export interface ForwardCheck {
  /** Per layer: pairs where the forward pass changed a real position the declared specs say it cannot, or vice versa. */
  mismatches: number[];
  /** First mismatch per layer, for the table. */
  firstMismatch: (string | undefined)[];
}

/**
 * Which real positions each layer's output should change at when real token `j` changes, from the declared specs:
 * a position changes when it already had, or when it sees a key that had (layer by layer).
 */
function predictedSpread(specs: readonly LayerMaskSpec[], j: number, ctx: VisibilityContext): Uint8Array[] {
  let changed = new Uint8Array(ctx.realLength);
  changed[j] = 1;
  return specs.map((spec) => {
    const next = changed.slice();
    for (let i = 0; i < ctx.realLength; i++) {
      if (next[i]) continue;
      for (let k = 0; k < ctx.realLength; k++) {
        if (changed[k] && declaredSees(spec, i, k, ctx)) {
          next[i] = 1;
          break;
        }
      }
    }
    changed = next;
    return next;
  });
}

/**
 * Runs the whole model with the declared specs on the audit sequence and on copies with one real token changed
 * (four positions spread over the sequence, in one batch; or the middle one at batch size 1), and compares which real positions each layer's output moved at with what the declared
 * specs predict. This checks how specs reach the layers inside forward(), which the per-layer observation skips.
 */
export async function checkForwardSpread(
  model: MaskAuditTarget,
  specs: readonly LayerMaskSpec[],
  seq: AuditSequence,
  ctx: VisibilityContext,
  options: { tolerance: number; seed: number; batchSize?: 'one' | 'all' },
): Promise<ForwardCheck> {
  const random = seededRandom(options.seed);
  const perturbed = Array.from({ length: seq.realLength }, (_, j) =>
    otherToken(seq.ids[j], model.config.vocabSize, random),
  );
  const positions = options.batchSize === 'one' ? [Math.floor(seq.realLength / 2)] : spreadPositions(seq.realLength);
  const mismatches = specs.map(() => 0);
  const firstMismatch: (string | undefined)[] = specs.map(() => undefined);
  const runs = options.batchSize === 'one' ? positions.map((j) => [j]) : [positions];
  for (const run of runs) {
    const layerValues = await forwardLayers(model, specs, seq, run, perturbed, options.batchSize === 'one');
    const batch = run.length + 2;
    for (const [l, values] of layerValues.entries()) {
      const width = values.length / (batch * seq.seqLen);
      const deltas = deltasFromFirst(values, batch, seq.seqLen, width);
      const scale = maxAbs(values.subarray(0, seq.seqLen * width)) || 1;
      const threshold = movedThreshold(deltas, seq.seqLen, batch - 1, scale, options.tolerance);
      for (const [r, j] of run.entries()) {
        const predicted = predictedSpread(specs, j, ctx)[l];
        for (let i = 0; i < seq.realLength; i++) {
          const moved = deltas[(r + 1) * seq.seqLen + i] > threshold;
          if (moved === (predicted[i] === 1)) continue;
          mismatches[l]++;
          firstMismatch[l] ??=
            `token ${j} changed: position ${i} ${moved ? 'moved' : 'did not move'} in the full forward pass, declared ${predicted[i] ? 'to move' : 'not to'}`;
        }
      }
    }
  }
  return { mismatches, firstMismatch };
}

/** Every layer's output values for the base sequence, one copy per perturbed position, then an unchanged control. */
async function forwardLayers(
  model: MaskAuditTarget,
  specs: readonly LayerMaskSpec[],
  seq: AuditSequence,
  run: readonly number[],
  perturbed: readonly number[],
  oneAtATime: boolean,
): Promise<Float32Array[]> {
  const rows = [seq.ids, ...run.map((j) => seq.ids.map((id, p) => (p === j ? perturbed[j] : id))), seq.ids];
  const groups = oneAtATime ? rows.map((row) => [row]) : [rows];
  const perGroup: Float32Array[][] = [];
  for (const group of groups) {
    const outputs = tf.tidy(() => {
      const ids = tileRows(seq.ids, group.length, (copy, r) => copy.set(group[r]));
      const mask = tileRows(seq.mask, group.length, () => {});
      return model.forward(ids, mask, specs, { outputLayers: true }).layerOutputs;
    });
    perGroup.push(await readAll(outputs));
  }
  return specs.map((_, l) => concatFloat32(perGroup.map((g) => g[l])));
}

/** Up to four real positions, evenly spread from the first to the last (the per-layer check covers the rest). */
function spreadPositions(realLength: number): number[] {
  const count = Math.min(4, realLength);
  return [...new Set(Array.from({ length: count }, (_, n) => Math.round((n * (realLength - 1)) / (count - 1 || 1))))];
}
