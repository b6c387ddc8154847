import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { FakeMlflowServer } from '@lookright/plugin-trackers/testing';
import { useTestRedis } from '../../testing/redis-server.js';
import { testMlflowTracker } from '../../testing/test-mlflow-tracker.js';
import { storeView } from '../../testing/test-processes.js';
import { startTestQueueWorker } from '../../testing/test-queue-worker.js';
import { writeTestSuite } from '../../testing/test-suite.js';
import { runTestSuite } from '../../testing/test-suite-in-process.js';
import { TrackingObserver } from '../../tracking/tracking-observer.js';
import { QueueScheduler } from './queue-scheduler.js';
import { redisTarget } from './redis-connection.js';

describe('QueueScheduler and MLflow: one child run per cell', function () {
  this.timeout(120_000);
  const redis = useTestRedis();
  const stepMs = process.env.LOOKRIGHT_TEST_STEP_MS;
  before(() => {
    // 20 steps of 300 ms: the cell is still running when the first harness sees it start
    process.env.LOOKRIGHT_TEST_STEP_MS = '300';
  });
  after(() => {
    if (stepMs === undefined) delete process.env.LOOKRIGHT_TEST_STEP_MS;
    else process.env.LOOKRIGHT_TEST_STEP_MS = stepMs;
  });

  it('a harness that stops once its cell started, and a second one that collects it, leave one FINISHED child run', async () => {
    const target = redisTarget(redis().url);
    const { file, dir } = writeTestSuite({ seeds: [5], masks: ['mask:causal'] });
    const server = await new FakeMlflowServer().start();
    const storeDir = join(dir, 'runs');
    const worker = await startTestQueueWorker(target, join(dir, 'scratch'));
    try {
      // the first harness opens the cell's MLflow run when it sees the cell start, then stops (as if killed)
      const first = new QueueScheduler({ target, pollMs: 100 });
      const observers = [new TrackingObserver([testMlflowTracker(server.uri)]), { cellStarted: () => first.stop() }];
      const stopped = await runTestSuite(file, storeDir, { scheduler: first, observers });
      const cellRuns = () =>
        [...server.state.runs.values()].filter((r) => r.tags.has('lookright.cell_hash')).map((r) => r.info.status);
      if (stopped.summary.interrupted) assert.deepEqual(cellRuns(), ['RUNNING']);
      // a second harness re-attaches to the job and collects the result
      const second = await runTestSuite(file, storeDir, {
        scheduler: new QueueScheduler({ target, pollMs: 100 }),
        observers: [new TrackingObserver([testMlflowTracker(server.uri)])],
      });
      assert.equal(storeView(storeDir)[0].status, 'FINISHED');
      assert.equal(stopped.summary.finished + second.summary.finished, 1);
      assert.deepEqual(cellRuns(), ['FINISHED'], 'one child run, reused by the second execution');
      const parents = [...server.state.runs.values()].filter((r) => r.tags.has('lookright.execution'));
      assert.equal(parents.length, stopped.summary.interrupted ? 2 : 1);
    } finally {
      await worker.close(true);
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
