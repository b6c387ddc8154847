import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CellFileStore,
  redactUrlCredentialsIn,
  type TrackedExecution,
  type Tracker,
  type TrackingEvent,
} from '@lookright/core';
import { stringify } from 'yaml';
import { isPretrainConfig, type SuiteCell } from '../expand/pretrain-cells.js';
import type { CellOutcome } from '../schedule/scheduler.js';
import { flattenParams } from '../store/flatten-params.js';
import type { RunStore } from '../store/run-store.js';
import { attemptTag, queueCellEnd } from './cell-end-events.js';
import { closingLine, queueEndsOfAbandonedExecutions, queueEndsOfAbandonedRuns } from './close-abandoned-runs.js';
import { drainOutbox, enqueueTrackingEvent } from './drain-outbox.js';
import type { ExecutionInfo, RunObserver } from './run-observer.js';
import { runTags } from './run-tags.js';

/**
 * How long the end of a run waits for its trackers (10 s): the events still queued then stay in the store's
 * outbox for `lookright mlflow sync`, and the run says so in one line. Before that, drains run in the background
 * and never hold the run up.
 */
export const trackingEndWaitMs = 10_000;

/**
 * Queues a suite execution's events in the store's outbox (execution and cell start and end, per-step and final
 * metrics, the resolved config, predictions and the report) and drains the outbox to the trackers in the
 * background, one drain at a time. A tracker that is down or hangs never fails the run and delays its end by at
 * most `endWaitMs` (default trackingEndWaitMs): its events wait for `lookright mlflow sync`.
 */
export class TrackingObserver implements RunObserver {
  private info?: ExecutionInfo;
  private draining?: Promise<void>;
  private drainAgain = false;
  private readonly stopDraining = new AbortController();
  /** The ledger attempt of each cell started in this execution, for its attempt tag at the end. */
  private readonly attempts = new Map<string, number>();
  /** Outcome of the last drain. */
  lastDrain?: Awaited<ReturnType<typeof drainOutbox>>;

  /** The first tracker's file transport, if any (MLflow artifacts), for queue workers' cell files. */
  get cellFiles(): CellFileStore | undefined {
    return this.trackers.find((t) => t.cellFiles)?.cellFiles;
  }

  constructor(
    private readonly trackers: readonly Tracker[],
    private readonly print: (line: string) => void = () => {},
    private readonly options: { endWaitMs?: number } = {},
  ) {}

  private enqueue(event: TrackingEvent): void {
    if (this.info) enqueueTrackingEvent(this.info.store.outbox, event);
  }

  /**
   * Drains the outbox in the background. At most one drain runs at a time; events queued meanwhile go out in one
   * more drain right after it. The promise settles once no drain is left to run; it never rejects.
   */
  private drain(store = this.info?.store): Promise<void> {
    if (!store) return Promise.resolve();
    if (this.draining) {
      this.drainAgain = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        do {
          this.drainAgain = false;
          this.lastDrain = await drainOutbox(store.outbox, this.trackers, this.stopDraining.signal);
        } while (this.drainAgain && !this.stopDraining.signal.aborted);
      } catch (error) {
        this.print(`tracking: ${(error as Error).message}; events stay queued (lookright mlflow sync)`);
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  /** Waits for the drains for at most `ms`, then stops them; returns whether the time ran out. */
  private async drainWithin(ms: number, store?: RunStore): Promise<boolean> {
    const drained = this.drain(store);
    let timer: NodeJS.Timeout | undefined;
    const ranOut = await Promise.race([
      drained.then(() => false),
      new Promise<boolean>((done) => {
        timer = setTimeout(() => done(true), ms);
      }),
    ]);
    clearTimeout(timer);
    if (ranOut) {
      this.stopDraining.abort();
      await drained;
    }
    return ranOut;
  }

  executionStarted(info: ExecutionInfo): void {
    this.info = info;
    this.closeAbandonedRuns(info.store);
    this.enqueue({
      type: 'execution.start',
      ...tracked(info),
      startedAt: Date.now(),
      tags: runTags(),
    });
    void this.drain();
  }

  /**
   * A run that finds every cell FINISHED runs nothing, but may still owe its trackers the end of runs a killed
   * harness left open: this queues those (see queueEndsOfAbandonedRuns) and sends them within the end wait.
   */
  async nothingToRun(store: RunStore): Promise<void> {
    if (this.closeAbandonedRuns(store)) await this.sendWithinEndWait(store);
  }

  /** Queues the ends of the runs killed harnesses left open (cells', then executions'); returns how many. */
  private closeAbandonedRuns(store: RunStore): number {
    const cells = queueEndsOfAbandonedRuns(store).length;
    const executions = queueEndsOfAbandonedExecutions(store).length;
    if (cells + executions) this.print(`tracking: ${closingLine(cells, executions)}`);
    return cells + executions;
  }

  /** Sends the queued events, waiting at most the end wait; says in one line what stays queued, and why. */
  private async sendWithinEndWait(store: RunStore): Promise<void> {
    const waitMs = this.options.endWaitMs ?? trackingEndWaitMs;
    const ranOut = await this.drainWithin(waitMs, store);
    const pending = store.outbox.pendingCount();
    if (pending > 0) {
      const why = ranOut
        ? ` (the tracker did not finish within ${waitMs / 1000} s)`
        : this.lastDrain?.unreachable
          ? ' (server unreachable)'
          : '';
      this.print(`tracking: ${pending} event(s) still queued${why}; run \`lookright mlflow sync\` later`);
    }
  }

  cellStarted(cell: SuiteCell, started?: { attemptId: number }): void {
    const info = this.info;
    if (!info) return;
    if (started) this.attempts.set(cell.hash, started.attemptId);
    const config = redactUrlCredentialsIn(cell.config);
    const params = flattenParams(config);
    const tags = {
      ...runTags(),
      'lookright.cell_hash': cell.hash,
      'lookright.mask': cell.labels.mask,
      ...(cell.labels.input !== undefined && { 'lookright.input': cell.labels.input }),
      'lookright.backbone': cell.labels.backbone,
      'lookright.dataset': cell.labels.dataset,
      'lookright.seed': String(cell.labels.seed),
      ...(started && { [attemptTag(started.attemptId)]: `started in execution ${info.executionId}` }),
      ...(isPretrainConfig(cell.config) && { 'lookright.kind': 'pretrain' }),
    };
    const base = { ...tracked(info), cellHash: cell.hash };
    this.enqueue({ type: 'cell.start', ...base, cellName: cellName(cell), startedAt: Date.now(), params, tags });
    const configFile = join(info.store.cellDir(cell.hash), 'resolved-config.yaml');
    mkdirSync(info.store.cellDir(cell.hash), { recursive: true });
    writeFileSync(configFile, stringify(config));
    this.enqueue({ type: 'cell.artifact', ...base, localPath: configFile, artifactPath: 'resolved-config.yaml' });
    void this.drain();
  }

  cellEnded(cell: SuiteCell, outcome: CellOutcome): void {
    const info = this.info;
    if (!info || outcome.status === 'SKIPPED') return;
    queueCellEnd(info.store, tracked(info), cell.hash, outcome, this.attempts.get(cell.hash));
    void this.drain();
  }

  async executionEnded(info: ExecutionInfo & { summary: { failed: number; interrupted: boolean } }): Promise<void> {
    const status = info.summary.failed || info.summary.interrupted ? 'FAILED' : 'FINISHED';
    this.enqueue({
      type: 'execution.end',
      ...tracked(info),
      status,
      endedAt: Date.now(),
    });
    await this.sendWithinEndWait(info.store);
  }
}

/** Which execution of which store the events belong to. */
const tracked = (info: ExecutionInfo): TrackedExecution => ({
  suiteName: info.suiteName,
  storeId: info.store.id,
  executionId: info.executionId,
});

const cellName = (cell: SuiteCell) =>
  `${cell.labels.backbone} ${cell.labels.mask} ${cell.labels.dataset} ${cell.labels.head} seed ${cell.labels.seed}`;
