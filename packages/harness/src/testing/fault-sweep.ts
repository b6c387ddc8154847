import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FakeMlflowServer } from '@lookright/plugin-trackers/testing';
import { RunStore } from '../store/run-store.js';
import { drainOutbox } from '../tracking/drain-outbox.js';
import { startTestRedis, type TestRedis } from './redis-server.js';
import { testMlflowTracker } from './test-mlflow-tracker.js';
import { cellResults, startTestHarness, startTestWorker, storeView, type TestProcess } from './test-processes.js';
import { writeTestSuite } from './test-suite.js';
import { runTestSuite } from './test-suite-in-process.js';

export type KillTarget = 'harness' | 'worker' | 'redis';

export interface SweepOptions {
  /** `queue`: a harness, two queue workers and Redis; `local`: a harness with a local pool of two. */
  scheduler: 'queue' | 'local';
  rounds: number;
  /** Seeds the kill targets and moments. */
  seed: number;
  /** Test-suite seeds; the suite has two masks per seed (default [1, 2]: 4 cells). */
  seeds?: number[];
  /** Waiting per training step of the CPU runner (ms, default 30; 20 steps a cell). */
  stepMs?: number;
  /** Kills happen 100 ms to this many ms after the round starts (default 4000). */
  maxKillMs?: number;
  log?: (line: string) => void;
}

export interface RoundResult {
  round: number;
  target: KillTarget;
  killAtMs: number;
  /** Whether the kill hit a round in progress, or came after its harness had finished. */
  hit: 'mid-run' | 'after-end';
  /** Harness runs it took to finish every cell (a local pool's killed cell is FAILED and needs a rerun). */
  harnessRuns: number;
  cells: number;
  /** MLflow child runs (runs tagged with a cell hash) in the round's server: one per cell, else the round fails. */
  mlflowChildRuns: number;
  /** Cells whose files a queue worker sent as MLflow artifacts (the others' went through Redis). */
  filesThroughMlflow: number;
  seconds: number;
}

/** mulberry32: a small seeded generator, so a sweep's kill points can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** PIDs of the local pool's cell workers of a harness: its children running cell-worker.ts (not tsx's esbuild). */
function cellWorkersOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === pid && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('cell-worker.ts');
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** kill -9 of a local pool's cell workers, as soon as (after the kill moment) the harness has one running. */
async function killCellWorkers(harness: TestProcess): Promise<void> {
  for (let waited = 0; waited < 20_000 && harness.child.exitCode === null; waited += 50) {
    const pids = cellWorkersOf(harness.child.pid ?? -1);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // it ended between listing and killing
      }
    }
    if (pids.length) return;
    await sleep(50);
  }
}

/**
 * Restarts a queue worker that has exited, as a process supervisor (systemd, a container runtime) would: a worker
 * that is still starting when Redis goes down exits with QUEUE_UNREACHABLE instead of waiting for it.
 */
function superviseWorkers(workers: TestProcess[], restart: (index: number) => TestProcess): { stop(): void } {
  const timer = setInterval(() => {
    for (const [i, worker] of workers.entries())
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) workers[i] = restart(i);
  }, 200);
  return { stop: () => clearInterval(timer) };
}

/**
 * Throws unless every cell is FINISHED once with the reference's numbers and has exactly one MLflow child run,
 * FINISHED: every attempt of a cell (a killed worker's, a killed harness's, a FAILED one rerun) uses that run; and
 * no execution's run is left RUNNING (a killed harness's is ended KILLED by the next run).
 * Returns the number of cells and of child runs.
 */
async function check(
  round: number,
  storeDir: string,
  reference: string,
  mlflow: FakeMlflowServer,
): Promise<{ cells: number; childRuns: number; filesThroughMlflow: number }> {
  const where = `round ${round} (${storeDir})`;
  const cells = storeView(storeDir);
  for (const c of cells) {
    if (c.status !== 'FINISHED') throw new Error(`${where}: cell ${c.hash} is ${c.status}`);
    const finished = c.attempts.filter((a) => a.outcome === 'FINISHED').length;
    if (finished !== 1) throw new Error(`${where}: cell ${c.hash} has ${finished} FINISHED attempts`);
  }
  if (JSON.stringify(cellResults(storeDir)) !== JSON.stringify(cellResults(reference)))
    throw new Error(`${where}: metrics or artifacts differ from the undisturbed run's`);
  const store = RunStore.open(storeDir);
  try {
    await drainOutbox(store.outbox, [testMlflowTracker(mlflow.uri)]);
  } finally {
    store.close();
  }
  const childRuns = [...mlflow.state.runs.values()].filter((run) => run.tags.has('lookright.cell_hash'));
  for (const c of cells) {
    const mine = childRuns.filter((run) => run.tags.get('lookright.cell_hash') === c.hash);
    const statuses = mine.map((run) => run.info.status).join(', ');
    if (mine.length !== 1 || mine[0].info.status !== 'FINISHED')
      throw new Error(
        `${where}: cell ${c.hash} has ${mine.length} MLflow child run(s) (${statuses}); expected one FINISHED`,
      );
  }
  if (childRuns.length !== cells.length)
    throw new Error(`${where}: ${childRuns.length} MLflow child runs for ${cells.length} cells`);
  const openExecutions = [...mlflow.state.runs.values()].filter(
    (run) => run.tags.has('lookright.execution') && run.info.status === 'RUNNING',
  );
  if (openExecutions.length) throw new Error(`${where}: ${openExecutions.length} MLflow execution run(s) left RUNNING`);
  const filesThroughMlflow = childRuns.filter((run) =>
    [...run.artifacts.keys()].some((path) => path.startsWith('cell-files/')),
  ).length;
  return { cells: cells.length, childRuns: childRuns.length, filesThroughMlflow };
}

/**
 * The fault sweep: `rounds` runs of a small suite, each with one `kill -9` at a seeded random moment of the
 * harness, a worker (a queue worker, or a local pool's cell worker) or Redis, then run to completion; after each,
 * every cell must be FINISHED exactly once with the undisturbed run's metrics and artifacts, and have exactly one
 * MLflow child run, FINISHED (recorded-transcript stand-in). Throws at the first violation; returns what each round did.
 */
export async function faultSweep(opts: SweepOptions): Promise<RoundResult[]> {
  const log = opts.log ?? (() => {});
  const random = seeded(opts.seed);
  const { file, dir } = writeTestSuite({ seeds: opts.seeds ?? [1, 2] });
  const reference = join(dir, 'reference');
  await runTestSuite(file, reference, { workers: 2 });
  const redis: TestRedis | undefined = opts.scheduler === 'queue' ? await startTestRedis() : undefined;
  const targets: KillTarget[] = redis ? ['harness', 'worker', 'redis'] : ['harness', 'worker'];
  const rounds: RoundResult[] = [];
  try {
    for (let round = 1; round <= opts.rounds; round++) {
      const target = targets[Math.floor(random() * targets.length)];
      const killAtMs = 100 + Math.floor(random() * (opts.maxKillMs ?? 4000));
      const mlflow = await new FakeMlflowServer().start();
      const env = { LOOKRIGHT_TEST_STEP_MS: String(opts.stepMs ?? 30), LOOKRIGHT_TEST_MLFLOW_URI: mlflow.uri };
      const storeDir = join(dir, `round-${round}`);
      const scratch = [join(dir, `round-${round}-worker-1`), join(dir, `round-${round}-worker-2`)];
      const workers: TestProcess[] = redis ? scratch.map((s) => startTestWorker(redis.url, s, env)) : [];
      const harnessRun = () => startTestHarness(file, storeDir, { queueUrl: redis?.url, env });
      const started = Date.now();
      let harness = harnessRun();
      let harnessRuns = 1;
      let supervisor: ReturnType<typeof superviseWorkers> | undefined;
      try {
        const ended = await Promise.race([harness.exit.then(() => true), sleep(killAtMs).then(() => false)]);
        const hit = ended ? 'after-end' : 'mid-run';
        if (target === 'harness') await harness.kill9();
        else if (target === 'redis')
          await (redis as TestRedis)
            .kill()
            .then(() => sleep(300))
            .then(() => redis?.restart());
        else if (redis) {
          await workers[0].kill9();
          workers[0] = startTestWorker(redis.url, scratch[0], env);
        } else await killCellWorkers(harness);
        supervisor = redis && superviseWorkers(workers, (i) => startTestWorker(redis.url, scratch[i], env));
        // a killed harness is started again at least once, as its user would (it re-attaches; with every cell
        // FINISHED it runs nothing but still closes what the killed one left open)
        const restartHarness = target === 'harness' && hit === 'mid-run';
        for (;;) {
          await harness.exit;
          const done = storeView(storeDir).every((c) => c.status === 'FINISHED') && storeView(storeDir).length > 0;
          if (done && !(restartHarness && harnessRuns === 1)) break;
          if (harnessRuns >= 5)
            throw new Error(`round ${round}: not finished after 5 harness runs:\n${harness.output()}`);
          harness = harnessRun();
          harnessRuns++;
        }
        const { cells, childRuns, filesThroughMlflow } = await check(round, storeDir, reference, mlflow);
        const seconds = (Date.now() - started) / 1000;
        const result = {
          round,
          target,
          killAtMs,
          hit,
          harnessRuns,
          cells,
          mlflowChildRuns: childRuns,
          filesThroughMlflow,
          seconds,
        } as const;
        log(
          `round ${round}: kill -9 ${target} at ${killAtMs} ms (${hit}); ${harnessRuns} harness run(s); ${cells} cells FINISHED once, numbers equal, ${childRuns} MLflow child runs (one FINISHED each); files of ${filesThroughMlflow} through MLflow`,
        );
        rounds.push(result);
      } finally {
        supervisor?.stop();
        await Promise.all([harness.kill9(), ...workers.map((w) => w.kill9())]);
        await mlflow.stop();
        for (const d of [storeDir, ...scratch]) rmSync(d, { recursive: true, force: true });
      }
    }
  } finally {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rounds;
}
