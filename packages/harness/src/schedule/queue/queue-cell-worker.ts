import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { CellFileStore, PluginRegistry } from '@lookright/core';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { harnessErrors } from '../../errors.js';
import type { Cell } from '../../expand/cell-types.js';
import { currentProcess } from '../../store/process-identity.js';
import { RunStore } from '../../store/run-store.js';
import { type CellRunnerRef, loadCellRunner } from '../cell-runner.js';
import { LocalPoolScheduler } from '../local-pool-scheduler.js';
import type { CellLimits, CellOutcome } from '../scheduler.js';
import { type CellPayload, defaultMaxResultBytes, packCell } from './cell-payload.js';
import { type Capability, capabilityOf, describeCapability, queueNameOf, queuePrefix } from './queue-capability.js';
import { bullConnection, checkReachable, type RedisTarget } from './redis-connection.js';
import { putCellFiles, type TrackedCellJob } from './tracked-cell-files.js';
import { checkCellPlugins, withLocalEnvironment } from './worker-checks.js';

/** What the harness puts in a cell's job. */
export interface CellJobData {
  cell: Cell;
  /** Set when the harness tracks the suite in MLflow: the cell's files may then travel as its run's artifacts. */
  tracked?: TrackedCellJob;
}

export interface QueueWorkerOptions {
  target: RedisTarget;
  /** This machine's own store folder, where cells run before their results travel back. */
  scratchDir: string;
  /** Cells run at once (one worker process each). */
  concurrency: number;
  runner: CellRunnerRef;
  limits: CellLimits;
  maxResultBytes?: number;
  /**
   * This machine's way to the harness's MLflow server (its own MLFLOW_TRACKING_URI and credentials): a tracked
   * cell's files go there as artifacts of the cell's run and only their manifest through Redis.
   */
  cellFiles?: CellFileStore;
  /** How long a finished cell waits for the harness to open its MLflow run before its files go through Redis. */
  cellFilesWaitMs?: number;
  /** Plugins of this machine; a cell naming a plugin at another version is refused (QUEUE_PLUGIN_MISMATCH). */
  registry?: PluginRegistry;
  /** The backend `auto` must resolve to here (the runner's numerics `backend.auto`); refused at start otherwise. */
  backend?: string;
  /** Lock of a running job; a killed worker's job is retried this long (plus one stall check) after it died. */
  lockMs?: number;
  /** How often a job whose worker died (lock expired) goes back to the queue. */
  stalledIntervalMs?: number;
  /** How many times a job may lose its worker before it fails. */
  maxStalledCount?: number;
  print?: (line: string) => void;
}

/**
 * `lookright worker`: takes cells from the queue of this machine's capability (runner, numerics, lookright
 * version), runs each through a one-worker LocalPoolScheduler over a local scratch store (the same worker
 * processes, limits and ledger as a local run), and answers with the cell's payload. A cell already FINISHED in
 * the scratch store (its result was computed but not delivered) is answered without running again.
 */
export class QueueCellWorker {
  private readonly pools = new Set<LocalPoolScheduler>();

  private constructor(
    readonly capability: Capability,
    readonly queueName: string,
    private readonly worker: Worker<CellJobData, CellPayload>,
    private readonly store: RunStore,
  ) {}

  static async start(opts: QueueWorkerOptions): Promise<QueueCellWorker> {
    const print = opts.print ?? ((line: string) => console.log(line));
    await checkReachable(opts.target);
    const runner = await loadCellRunner(opts.runner);
    const numerics = runner.numerics?.() ?? {};
    if (opts.backend !== undefined && numerics['backend.auto'] !== opts.backend)
      throw harnessErrors.queueBackendMismatch(opts.backend, numerics['backend.auto'] ?? 'nothing', runner.id);
    const capability = capabilityOf({ id: runner.id, version: runner.version, numerics });
    const queueName = queueNameOf(capability);
    const store = RunStore.open(opts.scratchDir);
    let self: QueueCellWorker | undefined;
    const worker = new Worker<CellJobData, CellPayload>(
      queueName,
      (job) => (self as QueueCellWorker).process(job, opts),
      {
        connection: bullConnection(opts.target),
        prefix: queuePrefix,
        concurrency: opts.concurrency,
        lockDuration: opts.lockMs ?? 30_000,
        stalledInterval: opts.stalledIntervalMs ?? 30_000,
        maxStalledCount: opts.maxStalledCount ?? 10,
        name: `${hostname()}:${process.pid}`,
        autorun: false,
      },
    );
    worker.on('error', (error) => print(`worker: Redis error: ${error.message}`));
    self = new QueueCellWorker(capability, queueName, worker, store);
    void worker.run();
    await worker.waitUntilReady();
    print(
      `worker ${hostname()} pid ${process.pid}: ${opts.concurrency} at a time from ${opts.target.printable} queue ${queueName} (${describeCapability(capability)}); scratch store ${store.dir}`,
    );
    return self;
  }

  /** Stops taking jobs; with `force` running cells are killed (their jobs are retried elsewhere), else awaited. */
  async close(force = false): Promise<void> {
    if (force) for (const pool of this.pools) pool.stop();
    await this.worker.close(force);
    this.store.close();
  }

  private async process(job: Job<CellJobData, CellPayload>, opts: QueueWorkerOptions): Promise<CellPayload> {
    try {
      const cell = withLocalEnvironment(job.data.cell, process.env);
      if (opts.registry) checkCellPlugins(cell, opts.registry);
      if (this.store.ledger.status(cell.hash) !== 'FINISHED') {
        const outcome = await this.runCell(cell, opts);
        if (outcome.status === 'FAILED') {
          await job.log(this.logTail(cell.hash, 64 * 1024));
          throw new Error(`${outcome.code}: ${outcome.message}`);
        }
        if (outcome.status === 'SKIPPED' && outcome.reason === 'running-elsewhere')
          throw new Error(`CELL_BUSY: cell ${cell.hash} still runs in another process on ${hostname()}`);
      }
      return await this.payload(cell.hash, opts, job.data.tracked);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code?.startsWith('QUEUE_')) throw new UnrecoverableError(`${code}: ${(error as Error).message}`);
      throw error;
    }
  }

  private async runCell(cell: Cell, opts: QueueWorkerOptions): Promise<CellOutcome> {
    const suiteId = this.store.registerSuite({ name: `queue:${cell.hash}`, file: '', json: {} }, [cell]);
    const executionId = this.store.beginExecution(suiteId, currentProcess());
    const pool = new LocalPoolScheduler(1, opts.concurrency);
    this.pools.add(pool);
    let outcome = { status: 'SKIPPED', reason: 'running-elsewhere' } as CellOutcome;
    try {
      const job = { cells: [cell], storeDir: this.store.dir, executionId, runner: opts.runner, limits: opts.limits };
      await pool.run(job, { cellEnded: (_c, o) => (outcome = o) });
    } finally {
      this.pools.delete(pool);
      this.store.endExecution(executionId, outcome.status === 'FAILED' ? 'FAILED' : 'FINISHED');
    }
    return outcome;
  }

  private async payload(hash: string, opts: QueueWorkerOptions, tracked?: TrackedCellJob): Promise<CellPayload> {
    const stored = this.store.queries.cell(hash);
    if (stored?.status !== 'FINISHED' || !stored.attempt) throw new Error(`cell ${hash} has no result here`);
    const outputDir = join(this.store.cellDir(hash), 'output');
    const result = { metrics: stored.metrics, artifacts: stored.artifacts };
    const manifest =
      tracked && opts.cellFiles
        ? await putCellFiles(
            opts.cellFiles,
            { ...tracked, cellHash: hash },
            outputDir,
            result.artifacts.map((a) => a.path),
            { waitMs: opts.cellFilesWaitMs ?? 60_000, print: opts.print ?? console.log },
          )
        : undefined;
    return packCell(
      {
        hash,
        outputDir,
        result,
        steps: this.store.queries.stepMetrics(hash, stored.attempt.id),
        log: this.logTail(hash, Number.POSITIVE_INFINITY),
        worker: `${hostname()} ${process.pid}`,
      },
      opts.maxResultBytes ?? defaultMaxResultBytes,
      manifest,
    );
  }

  private logTail(hash: string, bytes: number): string {
    const file = join(this.store.cellDir(hash), 'cell.log');
    if (!existsSync(file)) return '';
    const text = readFileSync(file, 'utf8');
    return text.length > bytes ? text.slice(-bytes) : text;
  }
}
