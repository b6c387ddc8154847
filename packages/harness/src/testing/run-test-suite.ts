/**
 * Child-process entry for the harness's kill tests: `node --import tsx run-test-suite.ts <suite.yaml> <storeDir>
 * <workers> [redis-url]` runs a suite over the test plugins with the deterministic CPU cell runner, on a local
 * pool of <workers>, or on the queue at redis-url (polled every 200 ms). With LOOKRIGHT_TEST_MLFLOW_URI set, the
 * run is tracked in the MLflow server there. With LOOKRIGHT_TEST_KILL_AT_CELL_END=1 the harness kills itself
 * (SIGKILL) when it learns that its first cell ended: after the cell's result is in the store, before its tracker
 * hears of it.
 */
import { runSuite } from '../run/run-suite.js';
import { QueueScheduler } from '../schedule/queue/queue-scheduler.js';
import { redisTarget } from '../schedule/queue/redis-connection.js';
import { TrackingObserver } from '../tracking/tracking-observer.js';
import { cpuRunnerRef } from './cpu-cell-runner.js';
import { testMlflowTracker } from './test-mlflow-tracker.js';
import { testRegistry } from './test-registry.js';

const [suiteFile, storeDir, workers, queueUrl] = process.argv.slice(2);
const mlflowUri = process.env.LOOKRIGHT_TEST_MLFLOW_URI;
if (suiteFile) {
  const result = await runSuite({
    suiteFile,
    storeDir,
    workers: Number(workers ?? 2),
    registry: testRegistry(),
    runner: cpuRunnerRef,
    env: {},
    ...(queueUrl && { scheduler: new QueueScheduler({ target: redisTarget(queueUrl), pollMs: 200 }) }),
    observers: [
      ...(process.env.LOOKRIGHT_TEST_KILL_AT_CELL_END === '1'
        ? [{ cellEnded: () => process.kill(process.pid, 'SIGKILL') }]
        : []),
      ...(mlflowUri ? [new TrackingObserver([testMlflowTracker(mlflowUri)])] : []),
    ],
  });
  process.exit(result.summary.failed ? 1 : 0);
}
