import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LookrightError } from '@lookright/core';
import { Job, Queue } from 'bullmq';
import { harnessErrors } from '../../errors.js';
import type { Cell } from '../../expand/cell-types.js';
import { isPretrainConfig } from '../../expand/pretrain-cells.js';
import { currentProcess } from '../../store/process-identity.js';
import { RunStore } from '../../store/run-store.js';
import { checkCellLimits } from '../cell-limits.js';
import { attemptFolders } from '../previous-attempt.js';
import type { CellOutcome, ScheduleJob, ScheduleListener, Scheduler, ScheduleSummary } from '../scheduler.js';
import { type CellPayload, payloadLog, unpackCell } from './cell-payload.js';
import { capabilityOf, describeCapability, queueNameOf, queuePrefix } from './queue-capability.js';
import type { CellJobData } from './queue-cell-worker.js';
import { bullConnection, checkReachable, type RedisTarget } from './redis-connection.js';

export interface QueueSchedulerOptions {
  target: RedisTarget;
  /** Tries per cell (a worker's error or crash counts; a worker killed mid-cell does not) before it is FAILED. */
  attempts?: number;
  /** How often the harness looks at the queues (ms). */
  pollMs?: number;
  /** How long a queue may hold cells with no worker connected before that is reported (ms). */
  noWorkerGraceMs?: number;
  print?: (line: string) => void;
}

/** A claimed cell whose job is in a queue. */
interface Outstanding {
  cell: Cell;
  queue: Queue<CellJobData, CellPayload>;
  attemptId: number;
  reason: string;
  logPath: string;
  started: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const allStates = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;

/**
 * Runs cells on `lookright worker` processes anywhere, through BullMQ queues on Redis. The harness owns the store:
 * it claims each cell, enqueues it under job id = cell hash in the queue of the capability its hash was computed
 * for (enqueuing twice is a no-op, so a restarted harness re-attaches to the jobs already there), and records each
 * result as it arrives: the payload's files become the attempt's output folder, promoted on acceptance exactly as
 * a local worker's. Jobs stay in Redis until their result is in the store, so a harness killed at any moment loses
 * nothing. Queues without a connected worker are reported.
 */
export class QueueScheduler implements Scheduler {
  readonly label: string;
  private stopped = false;

  constructor(private readonly opts: QueueSchedulerOptions) {
    const attempts = opts.attempts ?? 3;
    if (!Number.isInteger(attempts) || attempts < 1)
      throw harnessErrors.badOption('--attempts', String(attempts), 'a whole number ≥ 1');
    this.label = `queue ${opts.target.printable}`;
  }

  async run(job: ScheduleJob, listener: ScheduleListener = {}): Promise<ScheduleSummary> {
    checkCellLimits(job.limits);
    const cells = job.cells.filter((cell): cell is Cell => !isPretrainConfig(cell.config));
    if (cells.length < job.cells.length)
      throw harnessErrors.pretrainOnQueue(
        job.cells[0].config.suite.file,
        job.cells.filter((c) => isPretrainConfig(c.config)).map((c) => c.labels.backbone),
      );
    await checkReachable(this.opts.target);
    const store = RunStore.open(job.storeDir);
    const summary: ScheduleSummary = { finished: 0, failed: 0, skipped: 0, interrupted: false };
    const queues = new Map<string, Queue<CellJobData, CellPayload>>();
    const outstanding = new Map<string, Outstanding>();
    const ended = (cell: Cell, outcome: CellOutcome) => {
      outstanding.delete(cell.hash);
      if (outcome.status === 'FINISHED') summary.finished++;
      else if (outcome.status === 'FAILED') summary.failed++;
      else summary.skipped++;
      listener.cellEnded?.(cell, outcome);
    };
    try {
      for (const cell of cells) {
        if (this.stopped) break;
        const entry = await this.enqueue(cell, job, store, queues);
        if ('status' in entry) ended(cell, entry);
        else outstanding.set(cell.hash, entry);
      }
      const unserved = new Map<string, number>();
      while (outstanding.size && !this.stopped) {
        for (const [name, queue] of queues) {
          const mine = [...outstanding.values()].filter((o) => o.queue === queue);
          if (mine.length) await this.watch(queue, mine, store, listener, ended);
          if (mine.length) await this.reportUnserved(name, queue, mine, unserved);
        }
        if (outstanding.size) await sleep(this.opts.pollMs ?? 1000);
      }
      for (const o of outstanding.values()) {
        const message = `the run was stopped while cell ${o.cell.hash} was queued; its job stays in the queue and the next run collects it`;
        store.ledger.fail(o.cell.hash, o.attemptId, { code: 'CELL_INTERRUPTED', message });
      }
      summary.interrupted = outstanding.size > 0;
      return summary;
    } finally {
      store.close();
      await Promise.all([...queues.values()].map((q) => q.close()));
    }
  }

  /** Stops waiting: queued cells stay in their queues (the next run collects them) and are FAILED as interrupted. */
  stop(): void {
    this.stopped = true;
  }

  private async enqueue(
    cell: Cell,
    job: ScheduleJob,
    store: RunStore,
    queues: Map<string, Queue<CellJobData, CellPayload>>,
  ): Promise<Outstanding | CellOutcome> {
    if (store.ledger.status(cell.hash) === 'FINISHED') return { status: 'SKIPPED', reason: 'finished' };
    const logPath = join(store.cellDir(cell.hash), 'cell.log');
    const claim = store.ledger.claim(cell.hash, job.executionId, currentProcess(), logPath);
    if ('refused' in claim)
      return { status: 'SKIPPED', reason: claim.refused === 'finished' ? 'finished' : 'running-elsewhere' };
    const name = queueNameOf(capabilityOf(cell.config.runner));
    let queue = queues.get(name);
    if (!queue) {
      queue = new Queue<CellJobData, CellPayload>(name, {
        connection: bullConnection(this.opts.target),
        prefix: queuePrefix,
      });
      queue.on('error', () => {});
      queues.set(name, queue);
    }
    // a job that failed for an earlier run is retried afresh; any other job of this cell is re-attached to
    const previous = await queue.getJob(cell.hash);
    if (previous && claim.reason !== 'retry-orphaned' && (await previous.getState()) === 'failed')
      await previous.remove();
    await this.add(queue, cell);
    return { cell, queue, attemptId: claim.attemptId, reason: claim.reason, logPath, started: false };
  }

  private add(queue: Queue<CellJobData, CellPayload>, cell: Cell) {
    return queue.add(
      'cell',
      { cell },
      { jobId: cell.hash, attempts: this.opts.attempts ?? 3, removeOnComplete: false, removeOnFail: false },
    );
  }

  /** One look at a queue: records finished and failed cells, announces started ones, re-adds lost jobs. */
  private async watch(
    queue: Queue<CellJobData, CellPayload>,
    mine: Outstanding[],
    store: RunStore,
    listener: ScheduleListener,
    ended: (cell: Cell, outcome: CellOutcome) => void,
  ): Promise<void> {
    const [active, completed, failed, present] = await Promise.all([
      queue.getRanges(['active']),
      queue.getRanges(['completed']),
      queue.getRanges(['failed']),
      queue.getRanges([...allStates]),
    ]).then((lists) => lists.map((ids) => new Set(ids)));
    // Every cell this execution ends is announced first, also one whose job ran between two looks or while no
    // harness was watching (its earlier harness was killed): trackers open the cell's run on that announcement.
    const announce = (o: Outstanding) => {
      if (o.started) return;
      o.started = true;
      listener.cellStarted?.(o.cell, { attemptId: o.attemptId, reason: o.reason, logPath: o.logPath });
    };
    for (const o of mine) {
      const hash = o.cell.hash;
      if (completed.has(hash)) {
        const job = await Job.fromId<CellJobData, CellPayload>(queue, hash);
        if (job?.returnvalue) {
          announce(o);
          ended(o.cell, this.record(o, job, store));
        }
      } else if (failed.has(hash)) {
        const job = await Job.fromId<CellJobData, CellPayload>(queue, hash);
        if (job) {
          announce(o);
          ended(o.cell, await this.recordFailure(o, queue, job, store));
        }
      } else if (active.has(hash)) {
        announce(o);
      } else if (!present.has(hash)) {
        await this.add(queue, o.cell);
      }
    }
  }

  /**
   * Records a delivered result. One the store refuses (a non-finite metric, a payload naming a file outside the
   * output folder) fails the cell with that error; one for an attempt that is no longer current is dropped.
   */
  private record(o: Outstanding, job: Job<CellJobData, CellPayload>, store: RunStore): CellOutcome {
    const cellDir = store.cellDir(o.cell.hash);
    const folders = attemptFolders(cellDir, o.attemptId);
    const payload = job.returnvalue;
    const seconds = ((job.finishedOn ?? 0) - (job.processedOn ?? 0)) / 1000;
    try {
      mkdirSync(folders.dir, { recursive: true });
      appendFileSync(o.logPath, `---- ran on ${payload.worker} ----\n${payloadLog(payload)}`);
      const result = unpackCell(payload, folders.output);
      store.ledger.recordSteps(o.attemptId, payload.steps);
      store.ledger.finish(o.cell.hash, o.attemptId, result, { from: folders.output, to: join(cellDir, 'output') });
    } catch (error) {
      const code = error instanceof LookrightError ? error.code : 'QUEUE_RESULT_INVALID';
      if (code === 'CELL_ATTEMPT_STALE') return { status: 'SKIPPED', reason: 'running-elsewhere' };
      const message = `the result of cell ${o.cell.hash} from ${payload?.worker ?? 'a worker'} was refused: ${(error as Error).message}`;
      store.ledger.fail(o.cell.hash, o.attemptId, { code, message });
      void job.remove().catch(() => {});
      return { status: 'FAILED', seconds, code, message, logPath: o.logPath };
    }
    void job.remove().catch(() => {});
    return { status: 'FINISHED', seconds };
  }

  private async recordFailure(
    o: Outstanding,
    queue: Queue<CellJobData, CellPayload>,
    job: Job<CellJobData, CellPayload>,
    store: RunStore,
  ): Promise<CellOutcome> {
    const reason = job.failedReason ?? 'unknown error';
    const coded = /^([A-Z][A-Z0-9_]+): ([\s\S]*)$/.exec(reason);
    const error = { code: coded?.[1] ?? 'CELL_ERROR', message: coded?.[2] ?? reason };
    const { logs } = await queue.getJobLogs(o.cell.hash);
    mkdirSync(join(o.logPath, '..'), { recursive: true });
    appendFileSync(o.logPath, `---- failed ${job.attemptsMade} time(s) on the queue ----\n${logs.join('\n')}\n`);
    store.ledger.fail(o.cell.hash, o.attemptId, error);
    await job.remove().catch(() => {});
    const seconds = ((job.finishedOn ?? 0) - (job.processedOn ?? 0)) / 1000;
    return { status: 'FAILED', seconds, ...error, logPath: o.logPath };
  }

  /** Prints once per queue when its cells have waited `noWorkerGraceMs` with no worker connected. */
  private async reportUnserved(name: string, queue: Queue, mine: Outstanding[], since: Map<string, number>) {
    // CLIENT LIST, which BullMQ counts workers with, may be disabled on a managed Redis: then nothing is reported
    const workers = await queue.getWorkersCount().catch(() => 1);
    if (workers > 0) {
      since.delete(name);
      return;
    }
    const first = since.get(name);
    if (first === undefined) since.set(name, Date.now());
    else if (first > 0 && Date.now() - first >= (this.opts.noWorkerGraceMs ?? 10_000)) {
      const needs = describeCapability(capabilityOf(mine[0].cell.config.runner));
      const error = harnessErrors.cellNoWorker(mine.length, `${this.opts.target.printable} queue ${name}`, needs);
      (this.opts.print ?? console.log)(`${error.code}: ${error.message}\n  hint: ${error.hint}`);
      since.set(name, -1);
    }
  }
}
