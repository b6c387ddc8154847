import { bidirectional, causal } from '@lookright/core';
import {
  assertMaskAuditOk,
  auditMask,
  formatMaskAudit,
  type LoadedBackboneModel,
  loadDecoder,
  loadEncoder,
  maskAuditJson,
} from '@lookright/engine';

/** What auditPretrained found: per layer, what was declared and observed (maskAuditJson). */
export type PretrainedAudit = ReturnType<typeof maskAuditJson>;

/**
 * The mask audit of a written pre-training checkpoint, as fine-tuning cells run it before training: the folder is
 * loaded back through the engine's loader and every layer is observed under the attention its objective trained
 * with (clm: causal in every layer; mlm: bidirectional in every layer), padding included. Logs the table; a
 * mismatch throws MASK_AUDIT_FAILED.
 */
export async function auditPretrained(
  dir: string,
  objective: 'clm' | 'mlm',
  log: (line: string) => void,
): Promise<PretrainedAudit> {
  const model: LoadedBackboneModel =
    objective === 'clm' ? (await loadDecoder(dir)).model : (await loadEncoder(dir)).model;
  try {
    const spec = objective === 'clm' ? causal : bidirectional;
    const specs = Array.from({ length: model.numLayers }, () => spec);
    const report = await auditMask(model, specs, { source: dir });
    log(formatMaskAudit(report));
    assertMaskAuditOk(report, dir);
    return maskAuditJson(report);
  } finally {
    model.dispose();
  }
}
