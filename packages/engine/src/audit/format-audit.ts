import { auditErrors } from '../errors.js';
import type { MaskAuditReport } from './audit-mask.js';

/** The per-layer table (declared vs observed), then the padding line and the verdict. */
export function formatMaskAudit(report: MaskAuditReport): string {
  const header = ['layer', 'declared', 'observed', 'ok'];
  const rows = report.layers.map((l) => [String(l.layer), l.declared, l.observed, l.ok ? 'ok' : 'MISMATCH']);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  const out = [line(header), ...rows.map(line)];
  for (const l of report.layers) if (l.detail) out.push(`layer ${l.layer}: ${l.detail}`);
  out.push(
    `padding: ${report.paddingOk ? 'ok (changing padded tokens moves no real position)' : `MISMATCH: ${report.paddingDetail}`}`,
  );
  out.push(
    `${report.ok ? 'ok' : 'MISMATCH'}: ${report.layers.length} layers audited on ${report.seqLen} tokens (${report.seqLen - report.realLength} padded) in ${report.ms} ms`,
  );
  return out.join('\n');
}

/**
 * Throws MASK_AUDIT_FAILED with the table when the audit found a mismatch. The trainer calls this once before
 * training, after logging the table.
 */
export function assertMaskAuditOk(report: MaskAuditReport, source: string): void {
  if (!report.ok) throw auditErrors.mismatch(source, formatMaskAudit(report));
}
