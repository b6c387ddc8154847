import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { harnessErrors } from '../errors.js';
import type { SuiteCell } from '../expand/pretrain-cells.js';
import { currentProcess } from '../store/process-identity.js';
import { RunStore } from '../store/run-store.js';
import { checkCellLimits } from './cell-limits.js';
import { DependentQueue } from './dependent-queue.js';
import { attemptFolders, stopWorker, takeOverPreviousAttempt } from './previous-attempt.js';
import type { CellOutcome, ScheduleJob, ScheduleListener, Scheduler, ScheduleSummary } from './scheduler.js';
import { type RunningWorker, spawnWorker, type WorkerExit } from './spawn-worker.js';
import { exitHarnessGone } from './worker-job.js';

/** Default worker count: one per core. */
export const defaultWorkers = () => availableParallelism();

/**
 * Runs cells on this machine, at most `workers` at a time, each in its own worker process. The harness claims a
 * cell before starting its worker (so FINISHED cells and cells owned by another live harness are skipped) and
 * records failures the worker could not record itself (crash, time or memory limit).
 */
export class LocalPoolScheduler implements Scheduler {
  private readonly running = new Set<RunningWorker>();
  private stopped = false;
  private killedRunning = false;

  /**
   * @param workers cells at once
   * @param sharingCores how many cells share this machine's cores (default `workers`; a queue worker running
   *   several one-cell pools at once says how many), which sets each cell's OPENBLAS_NUM_THREADS
   */
  constructor(
    readonly workers: number = defaultWorkers(),
    private readonly sharingCores: number = workers,
  ) {
    if (!Number.isInteger(workers) || workers < 1)
      throw harnessErrors.badOption('--workers', String(workers), 'a whole number ≥ 1');
  }

  async run(job: ScheduleJob, listener: ScheduleListener = {}): Promise<ScheduleSummary> {
    checkCellLimits(job.limits);
    const store = RunStore.open(job.storeDir, { checkIntegrity: !job.storeChecked });
    const summary: ScheduleSummary = { finished: 0, failed: 0, skipped: 0, interrupted: false };
    const queue = new DependentQueue(job.cells, job.dependencies, (cell) => listener.cellBlocked?.(cell));
    const owner = currentProcess();
    // once stopped, nothing more is taken: the rest stays queued (neither run nor released nor reported blocked)
    const next = async (): Promise<void> => {
      while (!this.stopped && queue.size) {
        const cell = queue.take();
        if (!cell) {
          await queue.nextEnd();
          continue;
        }
        try {
          const outcome = await this.runOne(cell, job, store, owner, listener);
          if (outcome.status === 'FINISHED') summary.finished++;
          else if (outcome.status === 'FAILED') summary.failed++;
          else summary.skipped++;
          listener.cellEnded?.(cell, outcome);
        } finally {
          // after the listeners heard of it: a cell waiting for this one starts only now
          queue.ended(cell.hash);
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.workers, queue.size) }, next));
    } finally {
      store.close();
    }
    if (queue.blocked) summary.blocked = queue.blocked;
    summary.interrupted = this.stopped && (queue.size + this.running.size > 0 || this.killedRunning);
    return summary;
  }

  stop(): void {
    this.stopped = true;
    // a cell whose worker this kills did not run to its end: the run was interrupted even if nothing is left queued
    if (this.running.size) this.killedRunning = true;
    for (const worker of this.running) worker.kill();
  }

  private async runOne(
    cell: SuiteCell,
    job: ScheduleJob,
    store: RunStore,
    owner: ReturnType<typeof currentProcess>,
    listener: ScheduleListener,
  ): Promise<CellOutcome> {
    const cellDir = store.cellDir(cell.hash);
    const logPath = join(cellDir, 'cell.log');
    if (store.ledger.status(cell.hash) === 'FINISHED') return { status: 'SKIPPED', reason: 'finished' };
    // a worker of an attempt no live harness owns (orphaned by kill -9) must be gone before another starts
    const leftover = store.ledger.unownedWorker(cell.hash);
    if (leftover !== null) await stopWorker(leftover, cellDir);
    // the worker starts first and waits for its job, so the claim can record its PID atomically
    const worker = spawnWorker(cellDir, logPath, job.limits, this.workerEnv());
    this.running.add(worker);
    const claim = store.ledger.claim(cell.hash, job.executionId, owner, logPath, worker.pid > 0 ? worker.pid : null);
    if ('refused' in claim) {
      worker.kill();
      await worker.exit;
      this.running.delete(worker);
      return { status: 'SKIPPED', reason: claim.refused === 'finished' ? 'finished' : 'running-elsewhere' };
    }
    const started = Date.now();
    const folders = attemptFolders(cellDir, claim.attemptId);
    await takeOverPreviousAttempt(cellDir, claim, folders.output);
    worker.start(
      {
        storeDir: store.dir,
        cellHash: cell.hash,
        attemptId: claim.attemptId,
        runner: job.runnerOf?.(cell) ?? job.runner,
        config: cell.config,
        artifactDir: folders.output,
        outputDir: join(cellDir, 'output'),
        logPath,
      },
      folders.job,
    );
    listener.cellStarted?.(cell, { attemptId: claim.attemptId, reason: claim.reason, logPath });
    const exit = await worker.exit;
    this.running.delete(worker);
    const seconds = (Date.now() - started) / 1000;
    // The store decides: a worker that recorded its result and then died (or was killed by a limit) still finished.
    const recorded = store.queries.cell(cell.hash);
    if (recorded?.status === 'FINISHED' && recorded.attempt?.id === claim.attemptId)
      return { status: 'FINISHED', seconds };
    const error = this.describeExit(exit, cell.hash, logPath);
    // The worker records its own errors; this only records what it could not (its process died or was killed).
    store.ledger.fail(cell.hash, claim.attemptId, error);
    const attempt = store.queries.cell(cell.hash)?.attempt;
    return {
      status: 'FAILED',
      seconds,
      code: attempt?.errorCode ?? error.code,
      message: attempt?.errorMessage ?? error.message,
      logPath,
    };
  }

  /**
   * The workers' environment: the harness's, plus OPENBLAS_NUM_THREADS sharing the cores among the workers
   * (cores / sharingCores, at least 1) unless the user set it, so parallel cells do not oversubscribe the CPU.
   */
  private workerEnv(): NodeJS.ProcessEnv {
    if (process.env.OPENBLAS_NUM_THREADS) return process.env;
    const threads = Math.max(1, Math.floor(availableParallelism() / this.sharingCores));
    return { ...process.env, OPENBLAS_NUM_THREADS: String(threads) };
  }

  private describeExit(exit: WorkerExit, hash: string, logPath: string): { code: string; message: string } {
    const asError = (e: { code: string; message: string }) => ({ code: e.code, message: e.message });
    if (exit.kind === 'timeout') return asError(harnessErrors.cellTimedOut(hash, exit.seconds, logPath));
    if (exit.kind === 'memory')
      return asError(harnessErrors.cellOutOfMemory(hash, exit.rssMiB, exit.limitMiB, logPath));
    if (this.stopped)
      return { code: 'CELL_INTERRUPTED', message: `the run was stopped while cell ${hash} ran (log: ${logPath})` };
    const how =
      exit.signal !== null
        ? `was killed by ${exit.signal}`
        : exit.code === exitHarnessGone
          ? 'stopped because it lost its harness'
          : `exited with code ${exit.code} without recording a result`;
    return asError(harnessErrors.cellCrashed(hash, how, logPath));
  }
}
