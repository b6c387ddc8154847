import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PluginRegistry } from '@lookright/core';
import { backboneKey, calibrateBackbones } from '../estimate/calibrate.js';
import { type CellEstimate, estimateCells, trainingFlopRate } from '../estimate/estimate-cost.js';
import { type BackendRate, measureBackend } from '../estimate/measure-backend.js';
import { estimatePretrainCells, type PretrainEstimate } from '../estimate/pretrain-cost.js';
import type { CellRunnerRef } from '../schedule/cell-runner.js';
import { formatDuration } from '../schedule/format-duration.js';
import { defaultWorkers } from '../schedule/local-pool-scheduler.js';
import { defaultStoreDir, RunStore, storeFileName } from '../store/run-store.js';
import { prepareSuite } from './run-suite.js';

export interface DryRunOptions {
  suiteFile: string;
  storeDir?: string;
  workers?: number;
  /** Time a few real training steps per backbone (default true). */
  calibrate?: boolean;
  runner?: CellRunnerRef;
  registry?: PluginRegistry;
  print?: (line: string) => void;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface DryRunResult {
  /** The pre-training cells, listed (and run) first. */
  pretrainEstimates: PretrainEstimate[];
  estimates: CellEstimate[];
  /** Sum of the estimated seconds of the cells not FINISHED yet that have an estimate. */
  totalSeconds: number;
  /** totalSeconds spread over the workers (a lower bound: cells do not divide evenly). */
  wallSeconds: number;
  /** Cells not FINISHED yet that have no estimate (missing data, unknown backbone size). */
  unknownCells: number;
}

/** Stored status of each cell when the store already exists (a dry run never creates one). */
function storedStatuses(storeDir: string, hashes: string[]): Map<string, string> {
  const statuses = new Map<string, string>();
  if (!existsSync(join(resolve(storeDir), storeFileName))) return statuses;
  const store = RunStore.open(storeDir);
  try {
    for (const hash of hashes) statuses.set(hash, store.ledger.status(hash) ?? 'new');
  } finally {
    store.close();
  }
  return statuses;
}

/**
 * `lookright run --dry-run`: validates and expands the suite, lists every cell with its hash, store status and
 * estimated cost (the pre-training cells first, as they run first), and totals them. Missing data is reported per cell instead of failing, so a grid can be
 * checked before its data is in place. Calibration runs a few real steps per backbone (see calibrateBackbones).
 */
export async function dryRunSuite(options: DryRunOptions): Promise<DryRunResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const { suite, cells, pretrain, runnerRef } = await prepareSuite(options.suiteFile, {
    ...options,
    missingData: 'mark',
    print,
  });
  const statuses = storedStatuses(options.storeDir ?? defaultStoreDir, [
    ...pretrain.map((c) => c.hash),
    ...cells.map((c) => c.hash),
  ]);
  const { calibrations, failures } =
    options.calibrate === false
      ? { calibrations: new Map(), failures: new Map<string, string>() }
      : await calibrateBackbones(cells, runnerRef, { print });
  const uncalibrated = cells.some((c) => !calibrations.has(backboneKey(c.config)));
  let probe: BackendRate | undefined;
  if (options.calibrate !== false && uncalibrated && calibrations.size === 0) {
    print('measuring the backend matMul rate for backbones that cannot be calibrated here...');
    const measured = measureBackend();
    if ('error' in measured) print(measured.error);
    else probe = measured;
  }
  const estimates = estimateCells(cells, calibrations, probe);
  const pretrainEstimates = estimatePretrainCells(pretrain, trainingFlopRate(cells, calibrations, probe));
  const total = cells.length + pretrain.length;
  print(
    `suite ${suite.name}: ${total} cells (valid)${pretrain.length ? `: ${pretrain.length} pre-training, run first, then ${cells.length} fine-tuning` : ''}`,
  );
  if (pretrain.length) {
    print(
      `  #  hash        status    estimate  pre-training: backbone (objective, size, steps × batch × length) on corpus`,
    );
    for (const [i, { cell, seconds }] of pretrainEstimates.entries()) {
      const r = cell.config.recipe;
      print(
        `${`P${i + 1}`.padStart(3)}  ${cell.hash.slice(0, 10)}  ${(statuses.get(cell.hash) ?? 'new').padEnd(8)}  ${formatDuration(seconds).padStart(8)}  ${cell.labels.backbone} (${r.objective}, ${r.size}, ${r.steps} × ${r.batchSize} × ${r.seqLen}) on ${cell.labels.dataset}`,
      );
    }
  }
  const inputs = cells.some((c) => c.labels.input !== undefined);
  print(`  #  hash        status    estimate  backbone × mask × ${inputs ? 'input × ' : ''}dataset × head × seed`);
  for (const { cell, seconds } of estimates) {
    const l = cell.labels;
    const status = statuses.get(cell.hash) ?? 'new';
    print(
      `${String(cell.index + 1).padStart(3)}  ${cell.hash.slice(0, 10)}  ${status.padEnd(8)}  ${formatDuration(seconds).padStart(8)}  ${l.backbone} × ${l.mask} × ${inputs ? `${l.input} × ` : ''}${l.dataset} × ${l.head} × ${l.seed}`,
    );
  }
  const bases = new Map<string, number>();
  for (const e of [...pretrainEstimates, ...estimates]) bases.set(e.basis, (bases.get(e.basis) ?? 0) + 1);
  for (const [basis, n] of bases) print(`estimate basis for ${n} cell(s): ${basis}`);
  for (const reason of failures.values()) print(`not calibrated: ${reason}`);
  const todo = [...pretrainEstimates, ...estimates].filter((e) => statuses.get(e.cell.hash) !== 'FINISHED');
  const unknownCells = todo.filter((e) => e.seconds === null).length;
  const totalSeconds = todo.reduce((sum, e) => sum + (e.seconds ?? 0), 0);
  const workers = options.workers ?? defaultWorkers();
  const wallSeconds = totalSeconds / workers;
  print(
    `to run: ${todo.length} of ${total} cells; estimated ~${formatDuration(totalSeconds)} of cell time, ` +
      `~${formatDuration(wallSeconds)} wall with ${workers} worker(s)` +
      (unknownCells ? `, not counting ${unknownCells} cell(s) without an estimate` : ''),
  );
  return { pretrainEstimates, estimates, totalSeconds, wallSeconds, unknownCells };
}
