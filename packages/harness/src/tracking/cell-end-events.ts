import { existsSync, readFileSync } from 'node:fs';
import type { MetricPoint, TrackedExecution } from '@lookright/core';
import type { CellOutcome } from '../schedule/scheduler.js';
import type { RunStore } from '../store/run-store.js';
import { enqueueTrackingEvent } from './drain-outbox.js';

/**
 * The tag one attempt of a cell leaves on the cell's one tracked run (ledger attempt id): `started in execution
 * N`, then its outcome. An attempt whose harness was killed keeps `started` until a later run closes the run.
 */
export const attemptTag = (attemptId: number) => `lookright.attempt.${attemptId}`;

/**
 * Queues, in the store's outbox, what closes a cell's tracked run once the cell ended: its per-step metrics (a
 * FAILED attempt's under `attempt-<id>/…`, so that the history of `train.loss` is the finishing attempt's alone),
 * its final metrics, the outcome tags, its files and the end itself. `attemptId` is the ledger attempt that ended.
 */
export function queueCellEnd(
  store: RunStore,
  tracked: TrackedExecution,
  cellHash: string,
  outcome: Exclude<CellOutcome, { status: 'SKIPPED' }>,
  attemptId: number | undefined,
): void {
  const base = { ...tracked, cellHash };
  const enqueue = (event: Parameters<typeof enqueueTrackingEvent>[1]) => enqueueTrackingEvent(store.outbox, event);
  const now = Date.now();
  const stepKey = (name: string) =>
    outcome.status === 'FAILED' && attemptId !== undefined ? `attempt-${attemptId}/${name}` : name;
  const steps: MetricPoint[] = store.queries
    .stepMetrics(cellHash)
    .map((m) => ({ key: stepKey(m.name), value: m.value, step: m.step, timestamp: now }));
  const stored = store.queries.cell(cellHash);
  const finals: MetricPoint[] = Object.entries(stored?.metrics ?? {}).map(([key, value]) => ({
    key,
    value,
    step: 0,
    timestamp: now,
  }));
  if (steps.length + finals.length) enqueue({ type: 'cell.metrics', ...base, metrics: [...steps, ...finals] });
  const tags = {
    ...outcomeTags(outcome, stored?.artifacts ?? []),
    ...(attemptId !== undefined && {
      [attemptTag(attemptId)]: outcome.status === 'FAILED' ? `FAILED ${outcome.code}` : outcome.status,
    }),
  };
  enqueue({ type: 'cell.tags', ...base, tags });
  for (const artifact of stored?.artifacts ?? []) {
    enqueue({ type: 'cell.artifact', ...base, localPath: artifact.path, artifactPath: `outputs/${artifact.name}` });
  }
  enqueue({ type: 'cell.end', ...base, status: outcome.status, endedAt: now });
}

/**
 * Tags known once a cell ended: the backend and per-layer mask it ran with (from its metrics.json) and the mask
 * audit's verdict (a FINISHED cell passed it: training refuses to start on a mismatch).
 */
function outcomeTags(
  outcome: CellOutcome,
  artifacts: readonly { name: string; path: string }[],
): Record<string, string> {
  const tags: Record<string, string> = {
    'lookright.mask_audit':
      outcome.status === 'FINISHED'
        ? 'ok'
        : outcome.status === 'FAILED' && outcome.code === 'MASK_AUDIT_FAILED'
          ? 'mismatch'
          : 'not-reached',
  };
  const metricsFile = artifacts.find((a) => a.path.endsWith('metrics.json'));
  if (metricsFile && existsSync(metricsFile.path)) {
    const result = JSON.parse(readFileSync(metricsFile.path, 'utf8')) as {
      backend?: { name?: string };
      native?: { enabled?: boolean };
      maskSpecs?: string;
    };
    if (result.backend?.name) tags['lookright.backend'] = result.backend.name;
    if (result.native) tags['lookright.native'] = String(result.native.enabled === true);
    if (result.maskSpecs) tags['lookright.mask_pattern'] = result.maskSpecs;
  }
  return tags;
}
