import type { LayerMaskSpec } from '@lookright/core';
import { assertMaskAuditOk, auditMask, formatMaskAudit } from '@lookright/engine';
import { setMatmulPrecision } from '@lookright/native';
import type { LoadedEncoder } from './engine-encoder.js';

/**
 * Runs the engine's mask audit once before training: it observes, layer by layer, what attention really sees and
 * compares it with `specs` (padding included). Logs the table; a mismatch throws and training never starts. The audit
 * multiplies in float32 whatever the cell's matmulPrecision: it asks which positions reach which, and bf16 operands
 * could round a small real change away (a position would look masked when it is not).
 */
export async function runMaskAudit(
  encoder: LoadedEncoder,
  specs: readonly LayerMaskSpec[],
  source: string,
  log: (line: string) => void,
  mode: 'enforce' | 'report' = 'enforce',
): Promise<void> {
  const restore = setMatmulPrecision('f32');
  const report = await auditMask(encoder.model, specs, { source }).finally(restore);
  log(formatMaskAudit(report));
  if (mode === 'enforce') assertMaskAuditOk(report, source);
  else if (!report.ok) log('mask audit: MISMATCH reported above; training anyway because maskAudit is "report"');
}
