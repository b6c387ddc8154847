import { dirname, resolve } from 'node:path';
import { loadRegistry, type PluginRegistry, readSuitePluginList, validateSuiteFile } from '@lookright/core';
import type { Cell } from '../expand/cell-types.js';
import type { DatasetFingerprinter } from '../expand/dataset-fingerprint.js';
import { expandSuite } from '../expand/expand-suite.js';
import { checkCellLimits } from '../schedule/cell-limits.js';
import { type CellRunnerRef, loadCellRunner } from '../schedule/cell-runner.js';
import { LocalPoolScheduler } from '../schedule/local-pool-scheduler.js';
import { ProgressBoard } from '../schedule/progress-board.js';
import type { CellLimits, Scheduler, ScheduleSummary } from '../schedule/scheduler.js';
import { currentProcess } from '../store/process-identity.js';
import { defaultStoreDir, RunStore } from '../store/run-store.js';
import { fanOut, type RunObserver } from '../tracking/run-observer.js';
import { trackingObservers } from '../tracking/trackers-from-env.js';
import { trainRunnerRef } from './default-runner.js';
import { suiteSummaryLine } from './run-summary.js';

export interface RunSuiteOptions {
  suiteFile: string;
  /** Store folder (default ./lookright-runs). */
  storeDir?: string;
  /** Worker processes for the local pool (default: one per core). Ignored when `scheduler` is given. */
  workers?: number;
  limits?: Partial<CellLimits>;
  /** Who executes cells (default: the trainer, @lookright/train's runCell). */
  runner?: CellRunnerRef;
  /** Plugins (default: the workspace's plus the suite's `plugins:` list). */
  registry?: PluginRegistry;
  scheduler?: Scheduler;
  print?: (line: string) => void;
  env?: Readonly<Record<string, string | undefined>>;
  /** Watchers of the execution and its cells (trackers). */
  observers?: readonly RunObserver[];
}

export interface RunSuiteResult {
  suiteName: string;
  storeDir: string;
  cells: number;
  /** Cells that were FINISHED before this run started (not run again). */
  alreadyFinished: number;
  summary: ScheduleSummary;
}

/** Loads the plugins a suite needs, validates it and expands it into cells, ready to list or run. */
export async function prepareSuite(
  suiteFile: string,
  opts: {
    registry?: PluginRegistry;
    runner?: CellRunnerRef;
    env?: RunSuiteOptions['env'];
    missingData?: 'error' | 'mark';
    /** How datasets are fingerprinted (default: load each corpus); see expandSuite. */
    fingerprint?: DatasetFingerprinter;
    print?: (line: string) => void;
  },
) {
  const registry =
    opts.registry ??
    (await loadRegistry({ extra: readSuitePluginList(suiteFile), baseDir: dirname(resolve(suiteFile)) }));
  const suite = validateSuiteFile(suiteFile, registry);
  const runnerRef = opts.runner ?? trainRunnerRef;
  const runner = await loadCellRunner(runnerRef);
  const cells = await expandSuite(suite, {
    registry,
    suiteFile,
    runner: { id: runner.id, version: runner.version, ...(runner.numerics && { numerics: runner.numerics() }) },
    env: opts.env,
    missingData: opts.missingData,
    fingerprint: opts.fingerprint,
    log: opts.print,
  });
  return { suite, cells, runner, runnerRef, registry };
}

/**
 * `lookright run`: validates and expands the suite, records it in the store, and runs every cell that is not
 * FINISHED (new, FAILED, or RUNNING under a harness that is gone). A suite whose cells are all FINISHED runs
 * nothing. Ctrl-C stops the workers; their cells are FAILED as interrupted and rerun next time.
 */
export async function runSuite(options: RunSuiteOptions): Promise<RunSuiteResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const limits: CellLimits = {
    timeoutSeconds: options.limits?.timeoutSeconds ?? null,
    memoryMiB: options.limits?.memoryMiB ?? null,
  };
  checkCellLimits(limits);
  const { suite, cells, runner, runnerRef, registry } = await prepareSuite(options.suiteFile, { ...options, print });
  const store = RunStore.open(options.storeDir ?? defaultStoreDir);
  const owner = currentProcess();
  const suiteId = store.registerSuite({ name: suite.name, file: resolve(options.suiteFile), json: suite }, cells);
  const pending: Cell[] = cells.filter((c) => store.ledger.status(c.hash) !== 'FINISHED');
  const alreadyFinished = cells.length - pending.length;
  const result = { suiteName: suite.name, storeDir: store.dir, cells: cells.length, alreadyFinished };
  const empty: ScheduleSummary = { finished: 0, failed: 0, skipped: 0, interrupted: false };
  if (pending.length === 0) {
    print(`suite ${suite.name}: all ${cells.length} cells are FINISHED in ${store.file}; nothing to run`);
    store.close();
    return { ...result, summary: empty };
  }
  const executionId = store.beginExecution(suiteId, owner);
  const scheduler: Scheduler = options.scheduler ?? new LocalPoolScheduler(options.workers);
  const workers = scheduler instanceof LocalPoolScheduler ? scheduler.workers : 1;
  print(
    `suite ${suite.name}: ${cells.length} cells, ${alreadyFinished} already FINISHED, ${pending.length} to run on ${scheduler.label ?? `${workers} worker(s)`}; store ${store.file}`,
  );
  for (const line of runner.runNotes?.() ?? []) print(line);
  const board = new ProgressBoard(pending.length, workers, print);
  const observers =
    options.observers ??
    (await trackingObservers(registry, suite.trackers, {
      baseDir: dirname(resolve(options.suiteFile)),
      env: options.env ?? process.env,
      log: print,
    }));
  const execution = { store, suiteName: suite.name, executionId, cells: pending };
  for (const o of observers) await o.executionStarted?.(execution);
  let stopping = false;
  const onSignal = () => {
    if (!stopping) print('stopping: killing workers; their cells will be retried by the next run');
    stopping = true;
    scheduler.stop();
  };
  // `on`, not `once`: a second Ctrl-C must not kill the harness before it has recorded the stopped cells
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const summary = await scheduler.run(
      {
        cells: pending,
        storeDir: store.dir,
        executionId,
        runner: runnerRef,
        limits,
        tracking: {
          suiteName: suite.name,
          storeId: store.id,
          cellFiles: observers.find((o) => o.cellFiles)?.cellFiles,
        },
      },
      fanOut([board, ...observers]),
    );
    for (const o of observers) await o.executionEnded?.({ ...execution, summary });
    store.endExecution(executionId, summary.interrupted ? 'INTERRUPTED' : summary.failed ? 'FAILED' : 'FINISHED');
    print(suiteSummaryLine(store, { id: suiteId, name: suite.name, cells: cells.length }));
    return { ...result, summary };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    board.close();
    store.close();
  }
}
