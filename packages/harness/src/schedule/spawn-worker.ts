import { fork } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  exit: Promise<WorkerExit>;
  kill(): void;
}

const workerEntry = fileURLToPath(new URL('./cell-worker.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');
const memoryPollMs = 500;

/**
 * Starts one cell's worker: a fresh Node process (own wasm heap, crashes stay inside) with stdout and stderr
 * appended to the cell's log, the V8 heap capped and resident memory polled against the limit, and a wall-clock
 * timer. Either limit kills it with SIGKILL.
 */
export function spawnWorker(
  job: WorkerJob,
  jobFile: string,
  limits: CellLimits,
  env: NodeJS.ProcessEnv = process.env,
): RunningWorker {
  mkdirSync(dirname(jobFile), { recursive: true });
  writeFileSync(jobFile, JSON.stringify(job, null, 2));
  const logFd = openSync(job.logPath, 'a');
  const execArgv = ['--import', tsxLoader];
  if (limits.memoryMiB !== null) execArgv.push(`--max-old-space-size=${limits.memoryMiB}`);
  const child = fork(workerEntry, [jobFile], { execArgv, env, stdio: ['ignore', logFd, logFd, 'ipc'] });
  closeSync(logFd);
  let limitHit: WorkerExit | undefined;
  const killWith = (reason: WorkerExit) => {
    limitHit ??= reason;
    child.kill('SIGKILL');
  };
  const timer =
    limits.timeoutSeconds === null
      ? undefined
      : setTimeout(
          () => killWith({ kind: 'timeout', seconds: limits.timeoutSeconds as number }),
          limits.timeoutSeconds * 1000,
        );
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
      clearTimeout(timer);
      clearInterval(poll);
      resolvePromise(limitHit ?? { kind: 'exited', code, signal });
    });
  });
  return { pid: child.pid ?? -1, exit, kill: () => child.kill('SIGKILL') };
}
