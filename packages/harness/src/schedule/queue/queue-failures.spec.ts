import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FakeMlflowServer } from '@lookright/plugin-trackers/testing';
import { Queue, Worker } from 'bullmq';
import { RunStore } from '../../store/run-store.js';
import { useTestRedis } from '../../testing/redis-server.js';
import { testMlflowTracker } from '../../testing/test-mlflow-tracker.js';
import { storeView, waitUntil } from '../../testing/test-processes.js';
import { startTestQueueWorker } from '../../testing/test-queue-worker.js';
import { testQueueName, writeTestSuite } from '../../testing/test-suite.js';
import { runTestSuite } from '../../testing/test-suite-in-process.js';
import { TrackingObserver } from '../../tracking/tracking-observer.js';
import type { CellPayload } from './cell-payload.js';
import { queuePrefix } from './queue-capability.js';
import type { CellJobData } from './queue-cell-worker.js';
import { QueueScheduler } from './queue-scheduler.js';
import { bullConnection, redisTarget } from './redis-connection.js';

function storeSuites(storeDir: string): string[] {
  const store = RunStore.openExisting(storeDir);
  try {
    return store.queries.suites().map((s) => s.name);
  } finally {
    store.close();
  }
}

describe('QueueScheduler failures', function () {
  this.timeout(120_000);
  const redis = useTestRedis();

  it('a cell that fails on every attempt is FAILED with its error and the worker log, after --attempts tries', async () => {
    const target = redisTarget(redis().url);
    const { file, dir } = writeTestSuite({
      masks: ['{id: mask:test-fault, params: {fault: throw}}', 'mask:causal'],
      seeds: [1],
    });
    const worker = await startTestQueueWorker(target, join(dir, 'scratch'));
    const lines: string[] = [];
    try {
      const result = await runTestSuite(file, join(dir, 'runs'), {
        print: (l) => lines.push(l),
        scheduler: new QueueScheduler({ target, attempts: 2, pollMs: 100 }),
      });
      assert.deepEqual(result.summary, { finished: 1, failed: 1, skipped: 0, interrupted: false });
    } finally {
      await worker.close(true);
    }
    const failed = storeView(join(dir, 'runs')).find((c) => c.status === 'FAILED');
    assert.equal(failed?.attempt?.errorCode, 'TEST_FAULT');
    assert.match(failed?.attempt?.errorMessage ?? '', /the test fault was asked for/);
    const log = readFileSync(failed?.attempt?.logPath ?? '', 'utf8');
    assert.match(log, /failed 2 time\(s\) on the queue/);
    assert.match(log, /FAILED TEST_FAULT/);
    assert.ok(
      lines.some((l) => /FAILED .*TEST_FAULT: the test fault was asked for/.test(l)),
      lines.join('\n'),
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports cells no connected worker can take, and a stopped harness leaves their jobs for the next run', async () => {
    const target = redisTarget(redis().url);
    const { file, dir } = writeTestSuite({ seeds: [7] });
    const lines: string[] = [];
    const scheduler = new QueueScheduler({
      target,
      pollMs: 100,
      noWorkerGraceMs: 300,
      print: (l) => {
        lines.push(l);
        if (l.startsWith('QUEUE_NO_WORKER')) scheduler.stop();
      },
    });
    const storeDir = join(dir, 'runs');
    const stopped = await runTestSuite(file, storeDir, { scheduler });
    assert.equal(stopped.summary.interrupted, true);
    const notice = lines.find((l) => l.startsWith('QUEUE_NO_WORKER')) ?? '';
    assert.match(
      notice,
      /2 cell\(s\) wait in redis:\/\/127\.0\.0\.1:\d+ queue cells-[0-9a-f]{16} and no connected worker/,
    );
    assert.match(notice, /they need runner:test-cpu@1, lookright/);
    assert.match(notice, /\): no worker is connected\n/);
    assert.ok(storeView(storeDir).every((c) => c.attempt?.errorCode === 'CELL_INTERRUPTED'));

    const worker = await startTestQueueWorker(target, join(dir, 'scratch'), { concurrency: 2 });
    try {
      const resumed = await runTestSuite(file, storeDir, { scheduler: new QueueScheduler({ target, pollMs: 100 }) });
      assert.deepEqual(resumed.summary, { finished: 2, failed: 0, skipped: 0, interrupted: false });
    } finally {
      await worker.close(true);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('a cell whose job finished while no harness watched is tracked as one finished MLflow run when collected', async () => {
    // found by the fault sweep (seed 1, round 19): the re-attached harness ended such cells without starting them,
    // so their MLflow events waited forever for a run that was never opened
    const target = redisTarget(redis().url);
    const { file, dir } = writeTestSuite({ seeds: [8] });
    const server = await new FakeMlflowServer().start();
    const storeDir = join(dir, 'runs');
    const observers = [new TrackingObserver([testMlflowTracker(server.uri)])];
    const first = new QueueScheduler({
      target,
      pollMs: 100,
      noWorkerGraceMs: 300,
      print: (l) => l.startsWith('QUEUE_NO_WORKER') && first.stop(),
    });
    const queue = new Queue(await testQueueName(), {
      connection: bullConnection(target),
      prefix: queuePrefix,
    });
    try {
      assert.equal((await runTestSuite(file, storeDir, { observers, scheduler: first })).summary.interrupted, true);
      const hashes = storeView(storeDir).map((c) => c.hash);
      const worker = await startTestQueueWorker(target, join(dir, 'scratch'), { concurrency: 2 });
      try {
        for (let i = 0; i < 600; i++) {
          const states = await Promise.all(hashes.map((h) => queue.getJobState(h)));
          if (states.every((state) => state === 'completed')) break;
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        await worker.close(true);
      }
      const collected = await runTestSuite(file, storeDir, {
        observers,
        scheduler: new QueueScheduler({ target, pollMs: 100 }),
      });
      assert.deepEqual(collected.summary, { finished: 2, failed: 0, skipped: 0, interrupted: false });
      const store = RunStore.openExisting(storeDir);
      try {
        assert.equal(store.outbox.pendingCount(), 0);
      } finally {
        store.close();
      }
      for (const hash of hashes) {
        const runs = [...server.state.runs.values()].filter((r) => r.tags.get('lookright.cell_hash') === hash);
        assert.equal(runs.filter((r) => r.info.status === 'FINISHED').length, 1, hash);
      }
    } finally {
      await queue.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails a cell whose delivered result the store refuses, naming the worker, instead of stopping the run', async () => {
    const target = redisTarget(redis().url);
    const { file, dir } = writeTestSuite({ seeds: [9], masks: ['mask:causal'] });
    const queueName = await testQueueName();
    const forged = new Worker<CellJobData, CellPayload>(
      queueName,
      async (job) => ({
        hash: job.data.cell.hash,
        metrics: { 'dev.f1': 0.5 },
        artifacts: [],
        files: [{ path: '../../outside.txt', gzip: '' }],
        steps: [],
        log: gzipSync('forged').toString('base64'),
        worker: 'forger 1',
      }),
      { connection: bullConnection(target), prefix: queuePrefix },
    );
    try {
      const result = await runTestSuite(file, join(dir, 'runs'), {
        scheduler: new QueueScheduler({ target, pollMs: 100 }),
      });
      assert.deepEqual(result.summary, { finished: 0, failed: 1, skipped: 0, interrupted: false });
    } finally {
      await forged.close();
    }
    const [cell] = storeView(join(dir, 'runs'));
    assert.equal(cell.attempt?.errorCode, 'QUEUE_RESULT_INVALID');
    assert.match(cell.attempt?.errorMessage ?? '', /from forger 1 was refused: .*outside its output folder/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a worker that loses Redis while its result is in flight delivers it when Redis is back, without running again', async () => {
    const target = redisTarget(redis().url);
    const { file, dir } = writeTestSuite({ seeds: [11], masks: ['mask:causal'] });
    const scratchDir = join(dir, 'scratch');
    /** The scratch store's cell: its status and how many attempts ran it. */
    const scratchCell = () => {
      const [suite] = existsSync(scratchDir) ? storeSuites(scratchDir) : [];
      return suite ? storeView(scratchDir, suite)[0] : undefined;
    };
    const stepMs = process.env.LOOKRIGHT_TEST_STEP_MS;
    process.env.LOOKRIGHT_TEST_STEP_MS = '100';
    const worker = await startTestQueueWorker(target, scratchDir);
    try {
      const run = runTestSuite(file, join(dir, 'runs'), { scheduler: new QueueScheduler({ target, pollMs: 100 }) });
      await waitUntil(() => scratchCell()?.status === 'RUNNING', 'the worker runs the cell');
      await redis().kill();
      await waitUntil(() => scratchCell()?.status === 'FINISHED', 'the cell finished while Redis was down');
      await new Promise((r) => setTimeout(r, 500));
      await redis().restart();
      const result = await run;
      assert.deepEqual(result.summary, { finished: 1, failed: 0, skipped: 0, interrupted: false });
    } finally {
      await worker.close(true);
      if (stepMs === undefined) delete process.env.LOOKRIGHT_TEST_STEP_MS;
      else process.env.LOOKRIGHT_TEST_STEP_MS = stepMs;
    }
    assert.equal(scratchCell()?.attempts.length, 1, 'the worker ran the cell once');
    const [cell] = storeView(join(dir, 'runs'));
    assert.equal(cell.status, 'FINISHED');
    assert.equal(cell.attempts.length, 1);
    rmSync(dir, { recursive: true, force: true });
  });
});
