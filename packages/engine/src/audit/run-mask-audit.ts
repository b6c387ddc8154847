import type { LayerMaskSpec } from '@lookright/core';
import { type BackendDescription, type BackendName, logBackend } from '../backend/backend-description.js';
import { selectBackend } from '../backend/select-backend.js';
import { loadDecoder } from '../decoder/load-decoder.js';
import { auditMask, type MaskAuditOptions, type MaskAuditReport } from './audit-mask.js';

/** What `lookright audit-mask` needs. */
export interface RunMaskAuditOptions extends Omit<MaskAuditOptions, 'source'> {
  /** Checkpoint folder or hub repo id. */
  model: string;
  /** The per-layer specs to audit, for a model with `numLayers` layers (a mask strategy's layerSpecs). */
  resolveSpecs: (numLayers: number) => Promise<LayerMaskSpec[]> | LayerMaskSpec[];
  backend?: BackendName;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/** Loads a decoder, audits its masks under the given specs, and frees it. */
export async function runMaskAudit(
  options: RunMaskAuditOptions,
): Promise<{ report: MaskAuditReport; specs: LayerMaskSpec[]; backend: BackendDescription }> {
  const log = options.log ?? (() => {});
  const backend = await selectBackend(options.backend ?? 'auto');
  logBackend(backend, log);
  const { model } = await loadDecoder(options.model, { backend: backend.name, env: options.env, onNotice: log });
  try {
    const specs = await options.resolveSpecs(model.numLayers);
    const report = await auditMask(model, specs, { ...options, source: options.model });
    return { report, specs, backend };
  } finally {
    model.dispose();
  }
}
