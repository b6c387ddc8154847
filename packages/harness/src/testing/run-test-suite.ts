/**
 * Child-process entry for the harness's kill tests: `node --import tsx run-test-suite.ts <suite.yaml> <storeDir>
 * <workers> [redis-url]` runs a suite over the test plugins with the deterministic CPU cell runner (runTestSuite,
 * printing to stdout), on a local pool of <workers>, or on the queue at redis-url (polled every 200 ms). With
 * LOOKRIGHT_TEST_MLFLOW_URI set, the run is tracked in the MLflow server there. With LOOKRIGHT_TEST_KILL_AT_CELL_END=1
 * the harness kills itself (SIGKILL) when it learns that its first cell ended: after the cell's result is in the
 * store, before its tracker hears of it.
 */
import { QueueScheduler } from '../schedule/queue/queue-scheduler.js';
import { redisTarget } from '../schedule/queue/redis-connection.js';
import { TrackingObserver } from '../tracking/tracking-observer.js';
import { testMlflowTracker } from './test-mlflow-tracker.js';
import { runTestSuite } from './test-suite-in-process.js';

const [suiteFile, storeDir, workers, queueUrl] = process.argv.slice(2);
const mlflowUri = process.env.LOOKRIGHT_TEST_MLFLOW_URI;
if (suiteFile && storeDir) {
  const result = await runTestSuite(suiteFile, storeDir, {
    workers: Number(workers ?? 2),
    print: (line) => console.log(line),
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
