import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { RunStore } from '../../store/run-store.js';
import { useTestRedis } from '../../testing/redis-server.js';
import { storeView } from '../../testing/test-processes.js';
import { startTestQueueWorker } from '../../testing/test-queue-worker.js';
import { testRegistry } from '../../testing/test-registry.js';
import { writeTestSuite } from '../../testing/test-suite.js';
import { runTestSuite } from '../../testing/test-suite-in-process.js';
import type { QueueCellWorker } from './queue-cell-worker.js';
import { QueueScheduler } from './queue-scheduler.js';
import { redisTarget } from './redis-connection.js';

/** How many cells a worker's scratch store holds (each cell it ran is registered there as a suite). */
function cellsRunIn(scratchDir: string): number {
  const store = RunStore.open(scratchDir);
  try {
    return store.queries.suites().length;
  } finally {
    store.close();
  }
}

describe('QueueScheduler routes cells by plugin versions', function () {
  this.timeout(120_000);
  const redis = useTestRedis();

  it('leaves cells to a worker with the plugin versions their hash needs, reporting what the others lack', async () => {
    const target = redisTarget(redis().url);
    const { file, dir } = writeTestSuite({ seeds: [3] });
    const worker = (scratch: string, version: string): Promise<QueueCellWorker> =>
      startTestQueueWorker(target, join(dir, scratch), {
        concurrency: 2,
        registry: testRegistry(version),
        discoverMs: 100,
      });
    // the harness's cells need @lookright/harness-test-plugins 1.0.0; this worker has 0.2.0
    const older = await worker('older', '0.2.0');
    let matching: Promise<QueueCellWorker> | undefined;
    const lines: string[] = [];
    try {
      const result = await runTestSuite(file, join(dir, 'runs'), {
        registry: testRegistry('1.0.0'),
        scheduler: new QueueScheduler({
          target,
          pollMs: 100,
          noWorkerGraceMs: 500,
          print: (line) => {
            lines.push(line);
            // only once the notice is out does a worker with the needed version connect
            if (line.startsWith('QUEUE_NO_WORKER')) matching ??= worker('matching', '1.0.0');
          },
        }),
      });
      assert.deepEqual(result.summary, { finished: 2, failed: 0, skipped: 0, interrupted: false });
      const notice = lines.find((l) => l.startsWith('QUEUE_NO_WORKER')) ?? '';
      assert.match(notice, /2 cell\(s\) wait in redis:\/\/127\.0\.0\.1:\d+ queue cells-[0-9a-f]{16}/);
      assert.match(notice, /needs @lookright\/harness-test-plugins 1\.0\.0; connected workers have 0\.2\.0/);
      assert.ok(matching, lines.join('\n'));
      assert.deepEqual(older.queueNames, [], 'the older worker never consumed the queue');
      assert.equal((await matching).queueNames.length, 1);
    } finally {
      await older.close(true);
      await (await matching)?.close(true);
    }
    assert.equal(cellsRunIn(join(dir, 'older')), 0, 'the older worker ran nothing');
    assert.equal(cellsRunIn(join(dir, 'matching')), 2);
    for (const cell of storeView(join(dir, 'runs'))) {
      assert.equal(cell.status, 'FINISHED');
      assert.equal(cell.attempts.length, 1, 'no attempt failed on the older worker');
    }
    rmSync(dir, { recursive: true, force: true });
  });
  it('one worker serving two queues runs at most --concurrency cells at once over both', async () => {
    const target = redisTarget(redis().url);
    // input:repeat from a package of its own: cells with it need two packages, cells without it one
    const registry = () =>
      testRegistry('1.0.0', { inputsPackage: { name: '@lookright/test-inputs', version: '0.1.0' } });
    const { file, dir } = writeTestSuite({
      seeds: [12],
      masks: ['mask:causal'],
      inputs: ['input:identity', 'input:repeat'],
    });
    const scratchDir = join(dir, 'scratch');
    const stepMs = process.env.LOOKRIGHT_TEST_STEP_MS;
    process.env.LOOKRIGHT_TEST_STEP_MS = '100';
    const worker = await startTestQueueWorker(target, scratchDir, { registry: registry(), discoverMs: 100 });
    try {
      const result = await runTestSuite(file, join(dir, 'runs'), {
        registry: registry(),
        scheduler: new QueueScheduler({ target, pollMs: 100 }),
      });
      assert.deepEqual(result.summary, { finished: 2, failed: 0, skipped: 0, interrupted: false });
      assert.equal(worker.queueNames.length, 2, 'the two cells were in two queues, both served by this worker');
    } finally {
      await worker.close(true);
      if (stepMs === undefined) delete process.env.LOOKRIGHT_TEST_STEP_MS;
      else process.env.LOOKRIGHT_TEST_STEP_MS = stepMs;
    }
    const db = new Database(join(scratchDir, 'lookright.sqlite'), { readonly: true });
    const attempts = db.prepare('SELECT started_at, ended_at FROM attempts ORDER BY started_at').all() as {
      started_at: string;
      ended_at: string;
    }[];
    db.close();
    assert.equal(attempts.length, 2);
    assert.ok(attempts[1].started_at >= attempts[0].ended_at, `the cells overlapped: ${JSON.stringify(attempts)}`);
    rmSync(dir, { recursive: true, force: true });
  });
});
