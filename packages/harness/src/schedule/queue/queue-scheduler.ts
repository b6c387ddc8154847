import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LookrightError } from '@lookright/core';
import { Job, Queue } from 'bullmq';
import { harnessErrors } from '../../errors.js';
import type { Cell } from '../../expand/cell-types.js';
import { isPretrainConfig, type SuiteCell } from '../../expand/pretrain-cells.js';
import { currentProcess } from '../../store/process-identity.js';
import { RunStore } from '../../store/run-store.js';
import { checkCellLimits } from '../cell-limits.js';
import { attemptFolders } from '../previous-attempt.js';
import type { CellOutcome, ScheduleJob, ScheduleListener, Scheduler, ScheduleSummary } from '../scheduler.js';
import { type CellPayload, payloadLog, unpackCell } from './cell-payload.js';
import {
  type Capability,
  describeCapability,
  needOf,
  queueNameOf,
  queuePrefix,
  satisfies,
  suitePackageNames,
  whyUnserved,
} from './queue-capability.js';
import type { CellJobData } from './queue-cell-worker.js';
import { QueueDirectory } from './queue-directory.js';
import { QueueWakeup } from './queue-wakeup.js';
import { bullConnection, checkReachable, type RedisTarget } from './redis-connection.js';
import { getCellFiles } from './tracked-cell-files.js';

export interface QueueSchedulerOptions {
  target: RedisTarget;
  /** Tries per cell (a worker's error or crash counts; a worker killed mid-cell does not) before it is FAILED. */
  attempts?: number;
  /** How often the harness looks at the queues (ms, default 1000); a job starting or ending wakes it earlier. */
  pollMs?: number;
  /** How long a queue may hold cells that no connected worker can take before that is reported (ms). */
  noWorkerGraceMs?: number;
  print?: (line: string) => void;
}

/** A claimed cell whose job is in a queue. */
interface Outstanding {
  cell: Cell;
  queue: CellQueue;
  attemptId: number;
  reason: string;
  logPath: string;
  started: boolean;
}

/** A BullMQ queue of cells with the need they share. */
interface CellQueue {
  name: string;
  need: Capability;
  bull: Queue<CellJobData, CellPayload>;
}

const allStates = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;

/**
 * Runs cells on `lookright worker` processes anywhere, through BullMQ queues on Redis. The harness owns the store:
 * it claims each cell, enqueues it under job id = cell hash in the queue of what its hash needs (runner, numerics,
 * lookright and plugin versions; announced in the queue directory, where workers that have all of it find it;
 * enqueuing twice is a no-op, so a restarted harness re-attaches to the jobs already there), and records each
 * result as it arrives: the payload's files become the attempt's output folder, promoted on acceptance exactly as
 * a local worker's. Jobs stay in Redis until their result is in the store, so a harness killed at any moment loses
 * nothing. Queues no connected worker can serve are reported, naming what the workers lack.
 */
export class QueueScheduler implements Scheduler {
  readonly label: string;
  private stopped = false;
  /** The running suite's tracking, when its tracker can carry cell files (see ScheduleJob.tracking). */
  private tracking?: ScheduleJob['tracking'];

  constructor(private readonly opts: QueueSchedulerOptions) {
    const attempts = opts.attempts ?? 3;
    if (!Number.isInteger(attempts) || attempts < 1)
      throw harnessErrors.badOption('--attempts', String(attempts), 'a whole number ≥ 1');
    this.label = `queue ${opts.target.printable}`;
  }

  async run(job: ScheduleJob, listener: ScheduleListener = {}): Promise<ScheduleSummary> {
    checkCellLimits(job.limits);
    // pre-training cells, and cells that wait for one (CellDependencies), need a shared filesystem: refused
    const local = (cell: SuiteCell) => isPretrainConfig(cell.config) || job.dependencies?.of(cell) !== undefined;
    const cells = job.cells.filter((cell): cell is Cell => !local(cell));
    if (cells.length < job.cells.length)
      throw harnessErrors.pretrainOnQueue(job.cells[0].config.suite.file, [
        ...new Set(job.cells.filter(local).map((c) => c.labels.backbone)),
      ]);
    await checkReachable(this.opts.target);
    const store = RunStore.open(job.storeDir);
    this.tracking = job.tracking?.cellFiles ? job.tracking : undefined;
    const summary: ScheduleSummary = { finished: 0, failed: 0, skipped: 0, interrupted: false };
    const queues = new Map<string, CellQueue>();
    const directory = new QueueDirectory(this.opts.target);
    const wakeup = new QueueWakeup(this.opts.target);
    const suitePackages = new Map<string, Set<string>>();
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
        const entry = await this.enqueue(cell, job, store, { queues, directory, suitePackages, wakeup });
        if ('status' in entry) ended(cell, entry);
        else outstanding.set(cell.hash, entry);
      }
      const unserved = new Map<string, number>();
      while (outstanding.size && !this.stopped) {
        wakeup.clear();
        const offers = await directory.connectedWorkers();
        for (const queue of queues.values()) {
          const mine = [...outstanding.values()].filter((o) => o.queue === queue);
          if (mine.length) await this.watch(queue.bull, mine, store, listener, ended);
          if (mine.length) await this.reportUnserved(queue, mine, offers, unserved, directory);
        }
        if (outstanding.size) await wakeup.nap(this.opts.pollMs ?? 1000);
      }
      for (const o of outstanding.values()) {
        const message = `the run was stopped while cell ${o.cell.hash} was queued; its job stays in the queue and the next run collects it`;
        store.ledger.fail(o.cell.hash, o.attemptId, { code: 'CELL_INTERRUPTED', message });
      }
      summary.interrupted = outstanding.size > 0;
      return summary;
    } finally {
      store.close();
      await Promise.all([...queues.values()].map((q) => q.bull.close()));
      await Promise.all([directory.close(), wakeup.close()]);
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
    run: {
      queues: Map<string, CellQueue>;
      directory: QueueDirectory;
      suitePackages: Map<string, Set<string>>;
      wakeup: QueueWakeup;
    },
  ): Promise<Outstanding | CellOutcome> {
    const { queues, directory, suitePackages, wakeup } = run;
    if (store.ledger.status(cell.hash) === 'FINISHED') return { status: 'SKIPPED', reason: 'finished' };
    const logPath = join(store.cellDir(cell.hash), 'cell.log');
    const claim = store.ledger.claim(cell.hash, job.executionId, currentProcess(), logPath);
    if ('refused' in claim)
      return { status: 'SKIPPED', reason: claim.refused === 'finished' ? 'finished' : 'running-elsewhere' };
    const { suite } = cell.config;
    const suiteKey = JSON.stringify([suite.baseDir, suite.plugins]);
    if (!suitePackages.has(suiteKey)) suitePackages.set(suiteKey, suitePackageNames(suite));
    const need = needOf(cell.config, suitePackages.get(suiteKey));
    const name = queueNameOf(need);
    let queue = queues.get(name);
    if (!queue) {
      const bull = new Queue<CellJobData, CellPayload>(name, {
        connection: bullConnection(this.opts.target),
        prefix: queuePrefix,
      });
      bull.on('error', () => {});
      wakeup.watch(name);
      await directory.announce(need);
      queue = { name, need, bull };
      queues.set(name, queue);
    }
    // a job that failed for an earlier run is retried afresh; any other job of this cell is re-attached to
    const previous = await queue.bull.getJob(cell.hash);
    if (previous && claim.reason !== 'retry-orphaned' && (await previous.getState()) === 'failed')
      await previous.remove();
    await this.add(queue.bull, cell);
    return { cell, queue, attemptId: claim.attemptId, reason: claim.reason, logPath, started: false };
  }

  private add(queue: Queue<CellJobData, CellPayload>, cell: Cell) {
    return queue.add(
      'cell',
      {
        cell,
        ...(this.tracking && { tracked: { suiteName: this.tracking.suiteName, storeId: this.tracking.storeId } }),
      },
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
          const outcome = await this.record(o, job, store);
          if (outcome) ended(o.cell, outcome);
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
   * Records a delivered result, first fetching the files it left in the cell's MLflow run (undefined, to look
   * again later, while MLflow is unreachable). One the store refuses (a non-finite metric, a payload naming a
   * file outside the output folder, a fetched file whose checksum differs) fails the cell with that error; one
   * for an attempt that is no longer current is dropped.
   */
  private async record(
    o: Outstanding,
    job: Job<CellJobData, CellPayload>,
    store: RunStore,
  ): Promise<CellOutcome | undefined> {
    const cellDir = store.cellDir(o.cell.hash);
    const folders = attemptFolders(cellDir, o.attemptId);
    const payload = job.returnvalue;
    const seconds = ((job.finishedOn ?? 0) - (job.processedOn ?? 0)) / 1000;
    try {
      mkdirSync(folders.dir, { recursive: true });
      if (payload.manifest?.length) {
        const tracking = this.tracking;
        if (!tracking?.cellFiles) throw harnessErrors.queueCellFilesUntracked(o.cell.hash, payload.worker);
        const cell = { suiteName: tracking.suiteName, storeId: tracking.storeId, cellHash: o.cell.hash };
        await getCellFiles(tracking.cellFiles, cell, payload.manifest, folders.output);
      }
      appendFileSync(o.logPath, `---- ran on ${payload.worker} ----\n${payloadLog(payload)}`);
      const result = unpackCell(payload, folders.output);
      store.ledger.recordSteps(o.attemptId, payload.steps);
      store.ledger.finish(o.cell.hash, o.attemptId, result, { from: folders.output, to: join(cellDir, 'output') });
    } catch (error) {
      const code = error instanceof LookrightError ? error.code : 'QUEUE_RESULT_INVALID';
      if (code === 'TRACKER_UNREACHABLE') return undefined;
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

  /**
   * Prints once per queue when its cells have waited `noWorkerGraceMs` and no connected worker (by the offers they
   * declared) can take them, naming what they lack. An unserved queue is announced again on every look, so workers
   * find it even if the directory was lost.
   */
  private async reportUnserved(
    queue: CellQueue,
    mine: Outstanding[],
    offers: Capability[],
    since: Map<string, number>,
    directory: QueueDirectory,
  ) {
    if (offers.some((offer) => satisfies(offer, queue.need))) {
      since.delete(queue.name);
      return;
    }
    await directory.announce(queue.need);
    const first = since.get(queue.name);
    if (first === undefined) since.set(queue.name, Date.now());
    else if (first > 0 && Date.now() - first >= (this.opts.noWorkerGraceMs ?? 10_000)) {
      const where = `${this.opts.target.printable} queue ${queue.name}`;
      const error = harnessErrors.cellNoWorker(
        mine.length,
        where,
        describeCapability(queue.need),
        whyUnserved(queue.need, offers),
      );
      (this.opts.print ?? console.log)(`${error.code}: ${error.message}\n  hint: ${error.hint}`);
      since.set(queue.name, -1);
    }
  }
}
