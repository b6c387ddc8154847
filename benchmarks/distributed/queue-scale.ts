/**
 * Queue scaling (issue 17): `node --import tsx benchmarks/distributed/queue-scale.ts [--seeds 6] [--steps 1500]`.
 * The same suite of small CPU cells (test plugins, CPU test runner: `--steps` steps of fixed integer work each,
 * two masks × `--seeds` cells) on a fresh Redis and store per configuration:
 *   1w      one worker process, the harness in this process
 *   2w      two worker processes, the harness in this process
 *   2w+h    two worker processes, the harness in a third process
 * Workers start first and are timed from the harness's start to its end. Every process gets OPENBLAS_NUM_THREADS=1.
 * The reference, in the same command: the same cells' work in one plain process, then split over two at once
 * (plain-cells.ts: no queue, store, harness or process per cell), whose ratio is what two processes can gain on
 * this machine at all. Prints cells per minute per configuration, the 2w/1w ratio (≥ 1.8 expected on 2 idle cores),
 * the plain ratio, the queue's share of it, and the load average before and after, as one JSON object. Run it on a
 * quiet machine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { QueueScheduler } from '../../packages/harness/src/schedule/queue/queue-scheduler.js';
import { redisTarget } from '../../packages/harness/src/schedule/queue/redis-connection.js';
import { startTestRedis } from '../../packages/harness/src/testing/redis-server.js';
import {
  startTestHarness,
  startTestWorker,
  storeView,
  waitUntil,
} from '../../packages/harness/src/testing/test-processes.js';
import { writeTestSuite } from '../../packages/harness/src/testing/test-suite.js';
import { runTestSuite } from '../../packages/harness/src/testing/test-suite-in-process.js';

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '6' }, steps: { type: 'string', default: '1500' } },
});
process.env.OPENBLAS_NUM_THREADS = '1';
const env = { OPENBLAS_NUM_THREADS: '1', LOOKRIGHT_TEST_STEP_MS: '0' };
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i + 1);

async function measure(workers: number, separateHarness: boolean) {
  const redis = await startTestRedis();
  const { file, dir } = writeTestSuite({ seeds, maxSteps: Number(values.steps) });
  const scratch = mkdtempSync(join(tmpdir(), 'lookright-scale-'));
  const procs = Array.from({ length: workers }, (_, i) => startTestWorker(redis.url, join(scratch, `w${i}`), env));
  try {
    for (const p of procs) await waitUntil(() => /worker .* pid \d+:/.test(p.output()), 'the worker is ready', 120);
    const storeDir = join(dir, 'runs');
    const started = Date.now();
    if (separateHarness) {
      const harness = startTestHarness(file, storeDir, { queueUrl: redis.url, env });
      if ((await harness.exit) !== 0) throw new Error(harness.output());
    } else {
      await runTestSuite(file, storeDir, {
        scheduler: new QueueScheduler({ target: redisTarget(redis.url), pollMs: 200 }),
      });
    }
    const minutes = (Date.now() - started) / 60_000;
    const cells = storeView(storeDir).filter((c) => c.status === 'FINISHED').length;
    return { cells, seconds: Number((minutes * 60).toFixed(1)), cellsPerMinute: Number((cells / minutes).toFixed(2)) };
  } finally {
    await Promise.all(procs.map((p) => p.kill9()));
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Cells per minute of the plain runner split over `processes` processes at once. */
async function measurePlain(processes: number) {
  const script = fileURLToPath(new URL('./plain-cells.ts', import.meta.url));
  const started = Date.now();
  const exits = Array.from({ length: processes }, (_, part) => {
    const args = ['--import', 'tsx', script, String(seeds.length), values.steps, String(part), String(processes)];
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'inherit' });
    return new Promise<number | null>((done) => child.on('exit', done));
  });
  const codes = await Promise.all(exits);
  if (codes.some((c) => c !== 0)) throw new Error(`plain-cells.ts exited ${codes.join(', ')}`);
  const minutes = (Date.now() - started) / 60_000;
  const cells = seeds.length * 2;
  return { cells, seconds: Number((minutes * 60).toFixed(1)), cellsPerMinute: Number((cells / minutes).toFixed(2)) };
}

const loadBefore = loadavg().map((l) => Number(l.toFixed(2)));
const plainOne = await measurePlain(1);
const plainTwo = await measurePlain(2);
const one = await measure(1, false);
const two = await measure(2, false);
const twoPlusHarness = await measure(2, true);
console.log(
  JSON.stringify(
    {
      seeds: seeds.length,
      steps: Number(values.steps),
      '1w': one,
      '2w': two,
      '2w+h': twoPlusHarness,
      plain1p: plainOne,
      plain2p: plainTwo,
      speedupPlain: Number((plainTwo.cellsPerMinute / plainOne.cellsPerMinute).toFixed(2)),
      speedup2w: Number((two.cellsPerMinute / one.cellsPerMinute).toFixed(2)),
      speedup2wOfPlain: Number(
        (two.cellsPerMinute / one.cellsPerMinute / (plainTwo.cellsPerMinute / plainOne.cellsPerMinute)).toFixed(2),
      ),
      speedup2wh: Number((twoPlusHarness.cellsPerMinute / one.cellsPerMinute).toFixed(2)),
      loadBefore,
      loadAfter: loadavg().map((l) => Number(l.toFixed(2))),
    },
    null,
    2,
  ),
);
