import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricPoint, Tracker, TrackingEvent } from '@lookright/core';
import { stringify } from 'yaml';
import type { Cell } from '../expand/cell-types.js';
import type { CellOutcome } from '../schedule/scheduler.js';
import { flattenParams } from '../store/flatten-params.js';
import { drainOutbox, enqueueTrackingEvent } from './drain-outbox.js';
import type { ExecutionInfo, RunObserver } from './run-observer.js';
import { runTags } from './run-tags.js';

/**
 * Queues a suite execution's events in the store's outbox (execution and cell start and end, per-step and final
 * metrics, the resolved config, predictions and the report) and drains the outbox to the trackers in the
 * background. A tracker that is down never slows or fails the run: its events wait for `lookright mlflow sync`.
 */
export class TrackingObserver implements RunObserver {
  private info?: ExecutionInfo;
  private draining: Promise<unknown> = Promise.resolve();
  /** Outcome of the last drain, for the run's closing line. */
  lastDrain?: Awaited<ReturnType<typeof drainOutbox>>;

  constructor(
    private readonly trackers: readonly Tracker[],
    private readonly print: (line: string) => void = () => {},
  ) {}

  private enqueue(event: TrackingEvent): void {
    if (this.info) enqueueTrackingEvent(this.info.store.outbox, event);
  }

  /** Starts a drain after the current one; never throws. */
  private drain(): Promise<unknown> {
    const store = this.info?.store;
    if (!store) return this.draining;
    this.draining = this.draining.then(async () => {
      try {
        this.lastDrain = await drainOutbox(store.outbox, this.trackers);
      } catch (error) {
        this.print(`tracking: ${(error as Error).message}; events stay queued (lookright mlflow sync)`);
      }
    });
    return this.draining;
  }

  executionStarted(info: ExecutionInfo): void {
    this.info = info;
    this.enqueue({
      type: 'execution.start',
      suiteName: info.suiteName,
      executionId: info.executionId,
      startedAt: Date.now(),
      tags: runTags(),
    });
    void this.drain();
  }

  cellStarted(cell: Cell): void {
    const info = this.info;
    if (!info) return;
    const params = flattenParams(cell.config);
    const tags = {
      ...runTags(),
      'lookright.cell_hash': cell.hash,
      'lookright.mask': cell.labels.mask,
      'lookright.backbone': cell.labels.backbone,
      'lookright.dataset': cell.labels.dataset,
      'lookright.seed': String(cell.labels.seed),
    };
    const base = { suiteName: info.suiteName, executionId: info.executionId, cellHash: cell.hash };
    this.enqueue({ type: 'cell.start', ...base, cellName: cellName(cell), startedAt: Date.now(), params, tags });
    const configFile = join(info.store.cellDir(cell.hash), 'resolved-config.yaml');
    mkdirSync(info.store.cellDir(cell.hash), { recursive: true });
    writeFileSync(configFile, stringify(cell.config));
    this.enqueue({ type: 'cell.artifact', ...base, localPath: configFile, artifactPath: 'resolved-config.yaml' });
    void this.drain();
  }

  cellEnded(cell: Cell, outcome: CellOutcome): void {
    const info = this.info;
    if (!info || outcome.status === 'SKIPPED') return;
    const base = { suiteName: info.suiteName, executionId: info.executionId, cellHash: cell.hash };
    const now = Date.now();
    const steps: MetricPoint[] = info.store.queries
      .stepMetrics(cell.hash)
      .map((m) => ({ key: m.name, value: m.value, step: m.step, timestamp: now }));
    const stored = info.store.queries.cell(cell.hash);
    const finals: MetricPoint[] = Object.entries(stored?.metrics ?? {}).map(([key, value]) => ({
      key,
      value,
      step: 0,
      timestamp: now,
    }));
    if (steps.length + finals.length) this.enqueue({ type: 'cell.metrics', ...base, metrics: [...steps, ...finals] });
    this.enqueue({ type: 'cell.tags', ...base, tags: outcomeTags(outcome, stored?.artifacts ?? []) });
    for (const artifact of stored?.artifacts ?? []) {
      this.enqueue({
        type: 'cell.artifact',
        ...base,
        localPath: artifact.path,
        artifactPath: `outputs/${artifact.name}`,
      });
    }
    this.enqueue({ type: 'cell.end', ...base, status: outcome.status, endedAt: now });
    void this.drain();
  }

  async executionEnded(info: ExecutionInfo & { summary: { failed: number; interrupted: boolean } }): Promise<void> {
    const status = info.summary.failed || info.summary.interrupted ? 'FAILED' : 'FINISHED';
    this.enqueue({
      type: 'execution.end',
      suiteName: info.suiteName,
      executionId: info.executionId,
      status,
      endedAt: Date.now(),
    });
    await this.drain();
    const last = this.lastDrain;
    if (last && last.pending > 0) {
      this.print(
        `tracking: ${last.pending} event(s) still queued${last.unreachable ? ' (server unreachable)' : ''}; run \`lookright mlflow sync\` later`,
      );
    }
  }
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

const cellName = (cell: Cell) =>
  `${cell.labels.backbone} ${cell.labels.mask} ${cell.labels.dataset} ${cell.labels.head} seed ${cell.labels.seed}`;
