/**
 * Entry point of a cell's worker process: `node --import tsx cell-worker.ts <job.json>`. It runs one cell with
 * the job's runner and records the outcome in the store itself, guarded by the attempt id, so a result is kept
 * even if the harness dies right after, and a stale attempt can never overwrite a newer one. When its harness goes
 * away (kill -9 included) it exits at the next turn of its event loop; a long synchronous stretch (an evaluation)
 * may finish first, and a result completed before the worker notices is still recorded under its own attempt,
 * which is safe: if another harness has reclaimed the cell meanwhile, the attempt check refuses it.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { LookrightError } from '@lookright/core';
import { RunStore } from '../store/run-store.js';
import { loadCellRunner } from './cell-runner.js';
import { exitCellFailed, exitHarnessGone, type WorkerJob } from './worker-job.js';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8')) as WorkerJob;
const log = (line: string) => appendFileSync(job.logPath, `${new Date().toISOString()} ${line}\n`);

if (process.send) process.on('disconnect', () => process.exit(exitHarnessGone));

const store = RunStore.open(job.storeDir);
let steps: { step: number; name: string; value: number }[] = [];
let lastFlush = Date.now();
const flushSteps = () => {
  if (steps.length) store.ledger.recordSteps(job.attemptId, steps);
  steps = [];
  lastFlush = Date.now();
};

try {
  mkdirSync(job.artifactDir, { recursive: true });
  const runner = await loadCellRunner(job.runner);
  log(`cell ${job.cellHash} attempt ${job.attemptId}: ${runner.id}@${runner.version} in pid ${process.pid}`);
  const result = await runner.run(job.config, {
    artifactDir: job.artifactDir,
    log,
    env: process.env,
    reportStep(step, metrics) {
      for (const [name, value] of Object.entries(metrics)) steps.push({ step, name, value });
      if (steps.length >= 500 || Date.now() - lastFlush > 2000) flushSteps();
    },
  });
  flushSteps();
  if (process.send && !process.connected) process.exit(exitHarnessGone);
  store.ledger.finish(job.cellHash, job.attemptId, result);
  log(`cell ${job.cellHash} FINISHED: ${JSON.stringify(result.metrics)}`);
  store.close();
  process.exit(0);
} catch (error) {
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
