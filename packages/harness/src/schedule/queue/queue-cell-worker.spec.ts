import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RunStore } from '../../store/run-store.js';
import { useTestRedis } from '../../testing/redis-server.js';
import { startTestQueueWorker } from '../../testing/test-queue-worker.js';
import { testRegistry } from '../../testing/test-registry.js';
import { writeTestSuite } from '../../testing/test-suite.js';
import { runTestSuite } from '../../testing/test-suite-in-process.js';
import { QueueScheduler } from './queue-scheduler.js';
import { redisTarget } from './redis-connection.js';

describe('QueueCellWorker per-cell overhead', function () {
  this.timeout(120_000);
  const redis = useTestRedis();

  /** Runs a 2-cell suite on the queue with one in-process worker, the test plugins at `version` on both sides. */
  async function runOnWorker(version: string, discoverMs?: number) {
    const target = redisTarget(redis().url);
    const { file, dir } = writeTestSuite({ seeds: [6] });
    const scratchDir = join(dir, 'scratch');
    const worker = await startTestQueueWorker(target, scratchDir, {
      registry: testRegistry(version),
      ...(discoverMs && { discoverMs }),
    });
    try {
      const queuesBefore = worker.queueNames;
      const result = await runTestSuite(file, join(dir, 'runs'), {
        registry: testRegistry(version),
        scheduler: new QueueScheduler({ target, pollMs: 100 }),
      });
      assert.deepEqual(result.summary, { finished: 2, failed: 0, skipped: 0, interrupted: false });
      return { dir, scratchDir, queuesBefore };
    } finally {
      await worker.close(true);
    }
  }

  it('finds a queue a harness announces after the worker started at once, not at its next look', async () => {
    // its next look is far beyond the test's timeout: only the announcement can bring the queue to it
    const { dir, queuesBefore } = await runOnWorker('3.0.0', 600_000);
    assert.deepEqual(queuesBefore, [], 'no queue of these cells existed when it started');
    rmSync(dir, { recursive: true, force: true });
  });

  it('checks its scratch store once at start, not once per cell (the check reads the whole growing file)', async () => {
    const opened: { dir: string; checked: boolean }[] = [];
    const open = RunStore.open;
    RunStore.open = (storeDir, options = {}) => {
      opened.push({ dir: resolve(storeDir ?? ''), checked: options.checkIntegrity ?? true });
      return open.call(RunStore, storeDir, options);
    };
    let run: Awaited<ReturnType<typeof runOnWorker>>;
    try {
      run = await runOnWorker('1.0.0');
    } finally {
      RunStore.open = open;
    }
    const scratchOpens = opened.filter((o) => o.dir === resolve(run.scratchDir));
    assert.ok(scratchOpens.length >= 3, 'opened at start and for each of the 2 cells');
    assert.deepEqual(
      scratchOpens.map((o) => o.checked),
      [true, ...scratchOpens.slice(1).map(() => false)],
      'only the first open checks integrity',
    );
    rmSync(run.dir, { recursive: true, force: true });
  });
});
