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
import { CellSlots } from './cell-slots.js';
import { type Capability, describeCapability, offerOf, queuePrefix, satisfies } from './queue-capability.js';
import { QueueDirectory } from './queue-directory.js';
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
  /** Cells run at once (one worker process each), over all the queues this worker consumes. */
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
  /**
   * Plugins of this machine: their package versions are declared, and the worker consumes only queues whose cells
   * need those versions (a cell naming another version of one of them is refused with QUEUE_PLUGIN_MISMATCH).
   */
  registry: PluginRegistry;
  /** The backend `auto` must resolve to here (the runner's numerics `backend.auto`); refused at start otherwise. */
  backend?: string;
  /** Lock of a running job; a killed worker's job is retried this long (plus one stall check) after it died. */
  lockMs?: number;
  /** How often a job whose worker died (lock expired) goes back to the queue. */
  stalledIntervalMs?: number;
  /** How many times a job may lose its worker before it fails. */
  maxStalledCount?: number;
  /**
   * How often the worker renews its declaration and looks for queues it can serve (ms, default 1000); a queue a
   * harness announces while the worker runs is found at once.
   */
  discoverMs?: number;
  print?: (line: string) => void;
}

let workersStarted = 0;

/** Waits for `promise`, but at most `ms` (a Redis that is down makes commands wait for its return). */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/**
 * `lookright worker`: declares what it offers (runner, numerics, lookright version, plugin package versions) in
 * the queue directory, consumes every queue whose cells need only what it offers (found anew every `discoverMs`),
 * runs each cell through a one-worker LocalPoolScheduler over a local scratch store (the same worker processes,
 * limits and ledger as a local run), and answers with the cell's payload. A cell already FINISHED in the scratch
 * store (its result was computed but not delivered) is answered without running again.
 */
export class QueueCellWorker {
  private readonly pools = new Set<LocalPoolScheduler>();
  private readonly workers = new Map<string, Worker<CellJobData, CellPayload>>();
  private readonly slots: CellSlots;
  private readonly name = `${hostname()}:${process.pid}:${++workersStarted}`;
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    readonly offer: Capability,
    private readonly opts: QueueWorkerOptions,
    private readonly store: RunStore,
    private readonly directory: QueueDirectory,
  ) {
    this.slots = new CellSlots(opts.concurrency, (full) => (full ? this.pauseIfShared() : this.resumeAll()));
  }

  /**
   * With every slot busy, stops the queues' workers from fetching jobs it could not start yet, when it consumes
   * more than one queue (one queue's worker never fetches beyond `concurrency` itself, and a paused BullMQ worker
   * also stops checking for stalled jobs, so a lone queue is left as it is).
   */
  private pauseIfShared(): void {
    if (this.workers.size > 1) for (const worker of this.workers.values()) void worker.pause(true);
  }

  private resumeAll(): void {
    for (const worker of this.workers.values()) void worker.resume();
  }

  static async start(opts: QueueWorkerOptions): Promise<QueueCellWorker> {
    const print = opts.print ?? ((line: string) => console.log(line));
    await checkReachable(opts.target);
    const runner = await loadCellRunner(opts.runner);
    const numerics = runner.numerics?.() ?? {};
    if (opts.backend !== undefined && numerics['backend.auto'] !== opts.backend)
      throw harnessErrors.queueBackendMismatch(opts.backend, numerics['backend.auto'] ?? 'nothing', runner.id);
    const offer = offerOf({ id: runner.id, version: runner.version, numerics }, opts.registry);
    const self = new QueueCellWorker(offer, opts, RunStore.open(opts.scratchDir), new QueueDirectory(opts.target));
    print(
      `worker ${hostname()} pid ${process.pid}: ${opts.concurrency} at a time from ${opts.target.printable}, offering ${describeCapability(offer)}; scratch store ${self.store.dir}`,
    );
    await self.refresh(print);
    await self.directory.onAnnounce(() => void self.refresh(print));
    self.schedule(print);
    return self;
  }

  /** The queues this worker consumes. */
  get queueNames(): string[] {
    return [...this.workers.keys()];
  }

  /** Stops taking jobs; with `force` running cells are killed (their jobs are retried elsewhere), else awaited. */
  async close(force = false): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await within(this.refreshing, 1000);
    if (force) for (const pool of this.pools) pool.stop();
    await Promise.all([...this.workers.values()].map((w) => w.close(force)));
    // Redis may be down: the declaration then expires on its own
    await within(this.directory.withdraw(this.name), 1000);
    await this.directory.close();
    this.store.close();
  }

  /** Refreshes every `discoverMs` (and whenever a queue is announced: see start). */
  private schedule(print: (line: string) => void): void {
    if (this.closed) return;
    const every = this.opts.discoverMs ?? 1000;
    this.timer = setTimeout(() => void this.refresh(print).then(() => this.schedule(print)), every);
  }

  /** Runs `discover` after any refresh still under way (one at a time). */
  private refresh(print: (line: string) => void): Promise<void> {
    this.refreshing = this.refreshing.then(() => this.discover(print));
    return this.refreshing;
  }

  /** Renews the declaration and starts consuming every announced queue this worker can serve. */
  private async discover(print: (line: string) => void): Promise<void> {
    if (this.closed) return;
    try {
      await this.directory.declare(this.name, this.offer, Math.max(10_000, 3 * (this.opts.discoverMs ?? 1000)));
      for (const [queueName, need] of await this.directory.needs())
        if (!this.workers.has(queueName) && satisfies(this.offer, need) && !this.closed)
          await this.consume(queueName, need, print);
    } catch (error) {
      print(`worker: the queue directory could not be read: ${(error as Error).message}`);
    }
  }

  private async consume(queueName: string, need: Capability, print: (line: string) => void): Promise<void> {
    const { opts } = this;
    const worker = new Worker<CellJobData, CellPayload>(queueName, (job) => this.process(job), {
      connection: bullConnection(opts.target),
      prefix: queuePrefix,
      concurrency: opts.concurrency,
      lockDuration: opts.lockMs ?? 30_000,
      stalledInterval: opts.stalledIntervalMs ?? 30_000,
      maxStalledCount: opts.maxStalledCount ?? 10,
      name: this.name,
      autorun: false,
    });
    worker.on('error', (error) => print(`worker: Redis error: ${error.message}`));
    this.workers.set(queueName, worker);
    void worker.run();
    if (this.slots.full) this.pauseIfShared();
    await worker.waitUntilReady();
    print(`worker: taking cells of queue ${queueName} (${describeCapability(need)})`);
  }

  private async process(job: Job<CellJobData, CellPayload>): Promise<CellPayload> {
    const { opts } = this;
    await this.slots.acquire();
    try {
      const cell = withLocalEnvironment(job.data.cell, process.env);
      checkCellPlugins(cell, opts.registry);
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
    } finally {
      this.slots.release();
    }
  }

  private async runCell(cell: Cell, opts: QueueWorkerOptions): Promise<CellOutcome> {
    const suiteId = this.store.registerSuite({ name: `queue:${cell.hash}`, file: '', json: {} }, [cell]);
    const executionId = this.store.beginExecution(suiteId, currentProcess());
    const pool = new LocalPoolScheduler(1, opts.concurrency);
    this.pools.add(pool);
    let outcome = { status: 'SKIPPED', reason: 'running-elsewhere' } as CellOutcome;
    try {
      const job = {
        cells: [cell],
        storeDir: this.store.dir,
        storeChecked: true,
        executionId,
        runner: opts.runner,
        limits: opts.limits,
      };
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
