import { fork } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setLongTimeout } from './long-timeout.js';
import { residentMiB } from './resident-memory.js';
import type { CellLimits } from './scheduler.js';
import type { WorkerJob } from './worker-job.js';

/** How a worker process ended, as its parent saw it. */
export type WorkerExit =
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'timeout'; seconds: number }
  | { kind: 'memory'; rssMiB: number; limitMiB: number };

export interface RunningWorker {
  pid: number;
  /** Writes the job beside the cell's log (so the attempt can be replayed), hands it over and starts the clock. */
  start(job: WorkerJob, jobFile: string): void;
  exit: Promise<WorkerExit>;
  kill(): void;
}

const workerEntry = fileURLToPath(new URL('./cell-worker.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');
const memoryPollMs = 500;

/**
 * Starts one cell's worker: a fresh Node process (own wasm heap, crashes stay inside) with stdout and stderr
 * appended to the cell's log, the V8 heap capped and resident memory polled against the limit. The worker waits
 * for its job (`start`), so the caller can record its PID in the same transaction that claims the cell; the
 * wall-clock limit counts from `start`. Either limit kills it with SIGKILL. `cellDir` is the worker's only
 * argument, which is how a later harness recognises a worker of that cell among the host's processes.
 */
export function spawnWorker(
  cellDir: string,
  logPath: string,
  limits: CellLimits,
  env: NodeJS.ProcessEnv = process.env,
): RunningWorker {
  mkdirSync(dirname(logPath), { recursive: true });
  const logFd = openSync(logPath, 'a');
  const execArgv = ['--import', tsxLoader];
  if (limits.memoryMiB !== null) execArgv.push(`--max-old-space-size=${limits.memoryMiB}`);
  const child = fork(workerEntry, [cellDir], { execArgv, env, stdio: ['ignore', logFd, logFd, 'ipc'] });
  closeSync(logFd);
  let limitHit: WorkerExit | undefined;
  const killWith = (reason: WorkerExit) => {
    limitHit ??= reason;
    child.kill('SIGKILL');
  };
  let cancelTimer = () => {};
  let exited = false;
  const poll =
    limits.memoryMiB === null
      ? undefined
      : setInterval(() => {
          const rss = child.pid === undefined ? undefined : residentMiB(child.pid);
          if (rss !== undefined && rss > (limits.memoryMiB as number)) {
            killWith({ kind: 'memory', rssMiB: rss, limitMiB: limits.memoryMiB as number });
          }
        }, memoryPollMs);
  const exit = new Promise<WorkerExit>((resolvePromise) => {
    child.on('error', () => {
      if (child.exitCode === null && child.pid === undefined)
        resolvePromise({ kind: 'exited', code: null, signal: null });
    });
    child.on('exit', (code, signal) => {
      exited = true;
      cancelTimer();
      clearInterval(poll);
      resolvePromise(limitHit ?? { kind: 'exited', code, signal });
    });
  });
  const start = (job: WorkerJob, jobFile: string) => {
    mkdirSync(dirname(jobFile), { recursive: true });
    writeFileSync(jobFile, JSON.stringify(job, null, 2));
    if (exited) return;
    if (limits.timeoutSeconds !== null) {
      const seconds = limits.timeoutSeconds;
      cancelTimer = setLongTimeout(() => killWith({ kind: 'timeout', seconds }), seconds * 1000);
    }
    if (child.connected) child.send({ jobFile });
  };
  return { pid: child.pid ?? -1, start, exit, kill: () => child.kill('SIGKILL') };
}
