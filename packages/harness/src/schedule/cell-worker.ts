/**
 * Entry point of a cell's worker process. Forked by the harness (`cell-worker.ts <cellDir>`), it waits for its
 * job over IPC; replayed by hand (`node --import tsx cell-worker.ts <job.json>`), it reads the job file. It runs
 * one cell with the job's runner in the attempt's own folder and records the outcome in the store itself, guarded
 * by the attempt id; an accepted result promotes that folder to the cell's output folder in the same transaction,
 * so a stale attempt can never overwrite a newer one's files or records.
 *
 * When its harness goes away (kill -9 included) the worker stops without recording anything: at once when idle,
 * and within one step while training, since the runner's `isCancelled()` and every `reportStep` compare the
 * parent PID with the original one (it changes on reparenting, which a blocked event loop cannot hide).
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { LookrightError } from '@lookright/core';
import { RunStore } from '../store/run-store.js';
import { loadCellRunner } from './cell-runner.js';
import { exitCellFailed, exitHarnessGone, type WorkerJob } from './worker-job.js';

const forked = process.send !== undefined;
const parentPid = process.ppid;
const harnessGone = () => forked && (process.ppid !== parentPid || !process.connected);
if (forked) process.on('disconnect', () => process.exit(exitHarnessGone));

const jobFile = forked
  ? await new Promise<string>((resolveJob) =>
      process.once('message', (m) => resolveJob((m as { jobFile: string }).jobFile)),
    )
  : process.argv[2];
const job = JSON.parse(readFileSync(jobFile, 'utf8')) as WorkerJob;
const log = (line: string) => appendFileSync(job.logPath, `${new Date().toISOString()} ${line}\n`);
const stopIfHarnessGone = () => {
  if (!harnessGone()) return;
  log(`cell ${job.cellHash} attempt ${job.attemptId}: the harness (pid ${parentPid}) is gone; stopping`);
  process.exit(exitHarnessGone);
};

// the harness that started this worker checked the store's integrity when it opened it
const store = RunStore.open(job.storeDir, { checkIntegrity: false });
let steps: { step: number; name: string; value: number }[] = [];
let lastFlush = Date.now();
const flushSteps = () => {
  if (steps.length) store.ledger.recordSteps(job.attemptId, steps);
  steps = [];
  lastFlush = Date.now();
};

try {
  mkdirSync(job.artifactDir, { recursive: true });
  const runner = await loadCellRunner<WorkerJob['config']>(job.runner);
  log(`cell ${job.cellHash} attempt ${job.attemptId}: ${runner.id}@${runner.version} in pid ${process.pid}`);
  const result = await runner.run(job.config, {
    artifactDir: job.artifactDir,
    log,
    env: process.env,
    isCancelled: harnessGone,
    reportStep(step, metrics) {
      stopIfHarnessGone();
      for (const [name, value] of Object.entries(metrics)) steps.push({ step, name, value });
      if (steps.length >= 500 || Date.now() - lastFlush > 2000) flushSteps();
    },
  });
  stopIfHarnessGone();
  flushSteps();
  store.ledger.finish(job.cellHash, job.attemptId, result, { from: job.artifactDir, to: job.outputDir });
  log(`cell ${job.cellHash} FINISHED: ${JSON.stringify(result.metrics)}`);
  store.close();
  process.exit(0);
} catch (error) {
  stopIfHarnessGone();
  const coded = error instanceof LookrightError;
  const code = coded ? error.code : 'CELL_ERROR';
  const message =
    coded && error.hint ? `${error.message}\n  hint: ${error.hint}` : String((error as Error)?.message ?? error);
  log(`cell ${job.cellHash} FAILED ${code}: ${message}`);
  if (!coded && error instanceof Error && error.stack) log(error.stack);
  try {
    flushSteps();
    store.ledger.fail(job.cellHash, job.attemptId, { code, message });
  } catch (recordError) {
    log(`could not record the failure: ${(recordError as Error).message}`);
  }
  process.exit(exitCellFailed);
}
