import type { LayerMaskSpec } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import { auditErrors } from '../errors.js';
import { auditSequence } from './audit-inputs.js';
import type { MaskAuditTarget } from './audit-target.js';
import { checkForwardSpread } from './check-forward.js';
import { checkPaddingInvisible } from './check-padding.js';
import { observeLayer } from './observe-layer.js';
import {
  declaredVisibility,
  describeObserved,
  describeSpec,
  type VisibilityContext,
  visibilityDifferences,
} from './visibility.js';

/** One layer's verdict. */
export interface MaskAuditLayer {
  layer: number;
  /** The spec as declared, e.g. `causal`. */
  declared: string;
  /** What the layer was seen to do, named like a spec (`irregular` when no spec fits). */
  observed: string;
  ok: boolean;
  /** Why it is not ok: the first differing (query, key) pair or forward-pass position. */
  detail?: string;
}

/** The audit's result. `ok` is false when any layer or the padding check failed. */
export interface MaskAuditReport {
  layers: MaskAuditLayer[];
  paddingOk: boolean;
  paddingDetail?: string;
  ok: boolean;
  /** Audit sequence: length and real (unpadded) tokens. */
  seqLen: number;
  realLength: number;
  /** Wall time of the audit. */
  ms: number;
}

/** Knobs of the audit; the defaults take well under a second on the hf-tiny models. */
export interface MaskAuditOptions {
  /** Tokens in the audit sequence (default 16). */
  seqLen?: number;
  /** Padded tokens at its end (default 4). */
  padding?: number;
  /**
   * Smallest output change, relative to the output scale, that counts as "moved" (default 0: any change above the
   * backend's noise, which an unchanged control row measures in every check).
   */
  tolerance?: number;
  seed?: number;
  /** Name of the model for messages. */
  source?: string;
}

/**
 * Checks, layer by layer, what each layer of `model` really lets each query see under `specs`, against what the
 * specs declare (with the model's own sliding window, and padded keys always hidden):
 * 1. each layer alone, on its real input hidden states, with one input position replaced at a time;
 * 2. the whole forward pass, with one real token changed at a time (batched, and at batch size 1);
 * 3. changing padded tokens moves no real position, in any layer (batched and at batch size 1).
 * It never trusts the declared mask: everything is observed from outputs.
 */
export async function auditMask(
  model: MaskAuditTarget,
  specs: readonly LayerMaskSpec[],
  options: MaskAuditOptions = {},
): Promise<MaskAuditReport> {
  const started = Date.now();
  const source = options.source ?? 'the model';
  const seqLen = options.seqLen ?? 16;
  const padding = options.padding ?? 4;
  const tolerance = options.tolerance ?? 0;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seqLen) || !Number.isInteger(padding) || seqLen < 4 || padding < 0 || seqLen - padding < 2) {
    throw auditErrors.optionsInvalid(source, `seqLen ${seqLen} with padding ${padding}`);
  }
  const seq = auditSequence(seqLen, seqLen - padding, model.config.vocabSize, seed);
  const ctx: VisibilityContext = { seqLen, realLength: seq.realLength, slidingWindow: model.config.slidingWindow };
  const inputs = layerInputs(model, specs, seq.ids, seq.mask);
  const layers: MaskAuditLayer[] = [];
  try {
    for (const [layer, spec] of specs.entries()) {
      const options = { tolerance, seed };
      const seen = await observeLayer(model, layer, inputs[layer], seq.mask, seq.realLength, spec, options);
      const differences = visibilityDifferences(declaredVisibility(spec, ctx), seen.visibility);
      const first = differences[0];
      layers.push({
        layer,
        declared: describeSpec(spec),
        observed: describeObserved(seen.visibility, ctx),
        ok: differences.length === 0,
        detail: first
          ? `query ${first.query} ${seen.visibility.cells[first.query * seqLen + first.key] ? 'sees' : 'does not see'} key ${first.key}${first.key >= seq.realLength ? ' (padding)' : ''} (${differences.length} pair(s) differ)`
          : undefined,
      });
    }
  } finally {
    tf.dispose(inputs);
  }
  for (const batchSize of ['all', 'one'] as const) {
    const spread = await checkForwardSpread(model, specs, seq, ctx, { tolerance, seed: seed + 1, batchSize });
    // Only the first layer where the whole pass departs from the declared spread is to blame, and only when no
    // layer up to it already failed on its own (later departures follow from the earlier one).
    const first = spread.mismatches.findIndex((n) => n > 0);
    if (first < 0 || layers.slice(0, first + 1).some((l) => !l.ok)) continue;
    layers[first].ok = false;
    layers[first].detail = `${spread.firstMismatch[first]}${batchSize === 'one' ? ' (batch size 1)' : ''}`;
  }
  const paddingDetail = await checkPaddingInvisible(model, specs, seq, { tolerance, seed: seed + 2 });
  const paddingOk = paddingDetail === undefined;
  return {
    layers,
    paddingOk,
    ...(paddingDetail ? { paddingDetail } : {}),
    ok: paddingOk && layers.every((l) => l.ok),
    seqLen,
    realLength: seq.realLength,
    ms: Date.now() - started,
  };
}

/** The input hidden states of every layer for the audit sequence, under the declared specs: [1, S, H] each. */
function layerInputs(
  model: MaskAuditTarget,
  specs: readonly LayerMaskSpec[],
  ids: Int32Array,
  mask: Int32Array,
): tf.Tensor3D[] {
  return tf.tidy(() => {
    const out = model.forward(
      tf.tensor2d(ids, [1, ids.length], 'int32'),
      tf.tensor2d(mask, [1, mask.length], 'int32'),
      specs,
      { outputLayers: true },
    );
    return [out.embeddings as tf.Tensor3D, ...out.layerOutputs.slice(0, -1)];
  });
}

/** The JSON the CLI prints: `{layers:[{layer, declared, observed, ok}], paddingOk, ok}`. */
export function maskAuditJson(report: MaskAuditReport): {
  layers: { layer: number; declared: string; observed: string; ok: boolean }[];
  paddingOk: boolean;
  ok: boolean;
} {
  return {
    layers: report.layers.map(({ layer, declared, observed, ok }) => ({ layer, declared, observed, ok })),
    paddingOk: report.paddingOk,
    ok: report.ok,
  };
}
