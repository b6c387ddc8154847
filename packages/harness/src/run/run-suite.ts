import { dirname, resolve } from 'node:path';
import { loadRegistry, type PluginRegistry, readSuitePluginList, validateSuiteFile } from '@lookright/core';
import { harnessErrors } from '../errors.js';
import type { Cell } from '../expand/cell-types.js';
import type { DatasetFingerprinter } from '../expand/dataset-fingerprint.js';
import { expandSuiteWithPretraining } from '../expand/expand-suite.js';
import { isPretrainConfig, type SuiteCell } from '../expand/pretrain-cells.js';
import { checkCellLimits } from '../schedule/cell-limits.js';
import { type CellRunnerRef, loadCellRunner } from '../schedule/cell-runner.js';
import { LocalPoolScheduler } from '../schedule/local-pool-scheduler.js';
import { cellName, ProgressBoard } from '../schedule/progress-board.js';
import type { CellDependencies, CellLimits, Scheduler, ScheduleSummary } from '../schedule/scheduler.js';
import { currentProcess } from '../store/process-identity.js';
import { defaultStoreDir, RunStore } from '../store/run-store.js';
import { fanOut, type RunObserver } from '../tracking/run-observer.js';
import { trackingObservers } from '../tracking/trackers-from-env.js';
import { pretrainRunnerRef, trainRunnerRef } from './default-runner.js';
import { linkPretrainedCheckpoint } from './pretrained-links.js';
import { pretrainSummaryLines, suiteSummaryLine } from './run-summary.js';

export interface RunSuiteOptions {
  suiteFile: string;
  /** Store folder (default ./lookright-runs). */
  storeDir?: string;
  /** Worker processes for the local pool (default: one per core). Ignored when `scheduler` is given. */
  workers?: number;
  limits?: Partial<CellLimits>;
  /** Who executes cells (default: the trainer, @lookright/train's runCell). */
  runner?: CellRunnerRef;
  /** Who executes pre-training cells (default: @lookright/train's pretrain). */
  pretrainRunner?: CellRunnerRef;
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
  /** Fine-tuning and pre-training cells together. */
  cells: number;
  /** Of which pre-training cells. */
  pretrainCells: number;
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
    pretrainRunner?: CellRunnerRef;
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
  const pretrainRef = opts.pretrainRunner ?? pretrainRunnerRef;
  const pretrainer = await loadCellRunner<unknown>(pretrainRef);
  const identity = (r: { id: string; version: string; numerics?: () => Record<string, string> }) => ({
    id: r.id,
    version: r.version,
    ...(r.numerics && { numerics: r.numerics() }),
  });
  const { cells, pretrain } = await expandSuiteWithPretraining(suite, {
    registry,
    suiteFile,
    runner: identity(runner),
    pretrainRunner: identity(pretrainer),
    env: opts.env,
    missingData: opts.missingData,
    fingerprint: opts.fingerprint,
    log: opts.print,
  });
  return { suite, cells, pretrain, runner, runnerRef, pretrainRef, registry };
}

/**
 * `lookright run`: validates and expands the suite, records it in the store, and runs every cell that is not
 * FINISHED (new, FAILED, or RUNNING under a harness that is gone), as one job: the pre-training cells come first,
 * and a fine-tuning cell that fine-tunes one starts as soon as that cell finished (not after every pre-training
 * cell), in the local pool (another scheduler is refused for a suite that pre-trains). A fine-tuning cell whose
 * pre-training cell did not finish is reported BLOCKED and not run; one stopped before its pre-training cell ended
 * waits for the next run and is not reported blocked. A suite
 * whose cells are all FINISHED runs nothing. Ctrl-C stops the workers; their cells are FAILED as interrupted and
 * rerun next time.
 */
export async function runSuite(options: RunSuiteOptions): Promise<RunSuiteResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const limits: CellLimits = {
    timeoutSeconds: options.limits?.timeoutSeconds ?? null,
    memoryMiB: options.limits?.memoryMiB ?? null,
  };
  checkCellLimits(limits);
  const prepared = await prepareSuite(options.suiteFile, { ...options, print });
  const { suite, cells, pretrain, runner, runnerRef, pretrainRef, registry } = prepared;
  if (pretrain.length && options.scheduler && !(options.scheduler instanceof LocalPoolScheduler))
    throw harnessErrors.pretrainOnQueue(
      options.suiteFile,
      pretrain.map((c) => c.labels.backbone),
    );
  const all: SuiteCell[] = [...pretrain, ...cells];
  const store = RunStore.open(options.storeDir ?? defaultStoreDir);
  const owner = currentProcess();
  const suiteId = store.registerSuite({ name: suite.name, file: resolve(options.suiteFile), json: suite }, all);
  const unfinished = <C extends SuiteCell>(list: readonly C[]) =>
    list.filter((c) => store.ledger.status(c.hash) !== 'FINISHED');
  const pendingPretrain = unfinished(pretrain);
  const pendingCells = unfinished(cells);
  const pending: SuiteCell[] = [...pendingPretrain, ...pendingCells];
  const alreadyFinished = all.length - pending.length;
  const result = {
    suiteName: suite.name,
    storeDir: store.dir,
    cells: all.length,
    pretrainCells: pretrain.length,
    alreadyFinished,
  };
  const empty: ScheduleSummary = { finished: 0, failed: 0, skipped: 0, interrupted: false };
  const observers =
    options.observers ??
    (await trackingObservers(registry, suite.trackers, {
      baseDir: dirname(resolve(options.suiteFile)),
      env: options.env ?? process.env,
      log: print,
    }));
  if (pending.length === 0) {
    print(`suite ${suite.name}: all ${all.length} cells are FINISHED in ${store.file}; nothing to run`);
    try {
      for (const o of observers) await o.nothingToRun?.(store);
    } finally {
      store.close();
    }
    return { ...result, summary: empty };
  }
  const executionId = store.beginExecution(suiteId, owner);
  const scheduler: Scheduler = options.scheduler ?? new LocalPoolScheduler(options.workers);
  const workers = scheduler instanceof LocalPoolScheduler ? scheduler.workers : 1;
  const pretrainNote = pretrain.length
    ? ` (${pretrain.length} pre-training, ${pendingPretrain.length} of them to run; each cell fine-tuning one starts once it finished)`
    : '';
  print(
    `suite ${suite.name}: ${all.length} cells${pretrainNote}, ${alreadyFinished} already FINISHED, ${pending.length} to run on ${scheduler.label ?? `${workers} worker(s)`}; store ${store.file}`,
  );
  for (const line of runner.runNotes?.() ?? []) print(line);
  const board = new ProgressBoard(pending.length, workers, print);
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
    const listener = fanOut([board, ...observers]);
    // one job: a fine-tuning cell waits only for its own pre-training cell, and starts once that cell has finished
    // and its checkpoint's sha256s are in the store (the scheduler releases it through linkPretrainedCheckpoint)
    const dependencies: CellDependencies = {
      of: (cell) => (isPretrainConfig(cell.config) ? undefined : cell.config.backbone.pretrained?.cell),
      release: (cell) => {
        if (isPretrainConfig(cell.config)) return cell;
        const linked = linkPretrainedCheckpoint(store, cell as Cell);
        if (!linked) {
          const why = harnessErrors.pretrainBlocked(cell.config.backbone.pretrained?.cell ?? '', cell.labels.backbone);
          print(`BLOCKED ${cell.hash.slice(0, 10)} ${cellName(cell)}: ${why.message}`);
        }
        return linked;
      },
    };
    const summary = await scheduler.run(
      {
        cells: pending,
        storeDir: store.dir,
        executionId,
        runner: runnerRef,
        runnerOf: (cell) => (isPretrainConfig(cell.config) ? pretrainRef : undefined),
        dependencies,
        limits,
        tracking: {
          suiteName: suite.name,
          storeId: store.id,
          cellFiles: observers.find((o) => o.cellFiles)?.cellFiles,
        },
      },
      listener,
    );
    for (const o of observers) await o.executionEnded?.({ ...execution, summary });
    store.endExecution(
      executionId,
      summary.interrupted ? 'INTERRUPTED' : summary.failed || summary.blocked ? 'FAILED' : 'FINISHED',
    );
    for (const line of pretrainSummaryLines(store, suite.name)) print(line);
    print(suiteSummaryLine(store, { id: suiteId, name: suite.name, cells: all.length }));
    return { ...result, summary };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    board.close();
    store.close();
  }
}
