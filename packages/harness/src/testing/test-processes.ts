import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RunStore } from '../store/run-store.js';

const suiteEntry = fileURLToPath(new URL('./run-test-suite.ts', import.meta.url));
const workerEntry = fileURLToPath(new URL('./run-test-worker.ts', import.meta.url));

/** A child process of a queue or kill test, with its output kept for failure messages. */
export interface TestProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exit: Promise<number | null>;
  /** kill -9, then waits until it is gone. */
  kill9(): Promise<void>;
}

function start(entry: string, args: string[], env: NodeJS.ProcessEnv): TestProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (d) => (text += d));
  child.stderr?.on('data', (d) => (text += d));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    output: () => text,
    exit,
    kill9: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exit;
    },
  };
}

/** `run-test-suite.ts`: a harness over the test plugins and CPU runner, on a local pool or (with `queueUrl`) the queue. */
export function startTestHarness(
  suiteFile: string,
  storeDir: string,
  opts: { workers?: number; queueUrl?: string; env?: NodeJS.ProcessEnv } = {},
): TestProcess {
  const args = [suiteFile, storeDir, String(opts.workers ?? 2), ...(opts.queueUrl ? [opts.queueUrl] : [])];
  return start(suiteEntry, args, opts.env ?? {});
}

/**
 * `run-test-worker.ts`: a queue worker with the CPU runner, its own scratch store, 2 s locks, and the test plugins
 * as package version `pluginVersion` (default 1.0.0, what the test harnesses' cells need).
 */
export function startTestWorker(
  queueUrl: string,
  scratchDir: string,
  env: NodeJS.ProcessEnv = {},
  pluginVersion = '1.0.0',
): TestProcess {
  return start(workerEntry, [queueUrl, scratchDir, '1', pluginVersion], env);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `condition` every 100 ms until it holds; fails after `seconds` with `what`. */
export async function waitUntil(condition: () => boolean, what: string, seconds = 120): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

/** Each cell of a suite in a store, with its attempts; [] when the store does not exist yet. */
export function storeView(storeDir: string, suite = 'test-suite') {
  let store: RunStore;
  try {
    store = RunStore.openExisting(storeDir);
  } catch {
    return [];
  }
  try {
    return store.queries.suiteCells(suite).map((c) => ({ ...c, attempts: store.queries.attempts(c.hash) }));
  } finally {
    store.close();
  }
}

/**
 * Metrics and artifact contents by cell hash, from `storeView`: what must equal between two runs of a suite (a queue
 * run and a local one, a run interrupted and resumed and one that was not).
 */
export function cellResults(storeDir: string) {
  return Object.fromEntries(
    storeView(storeDir).map((c) => [
      c.hash,
      { metrics: c.metrics, files: Object.fromEntries(c.artifacts.map((a) => [a.name, readFileSync(a.path, 'utf8')])) },
    ]),
  );
}
