/**
 * Child-process entry for the queue tests: `node --import tsx run-test-worker.ts <redis-url> <scratchDir>
 * [concurrency] [plugin-version]` runs a queue worker with the deterministic CPU cell runner, the test plugins
 * (as package version [plugin-version], default 1.0.0, the version the tests' harnesses use) and short locks (a
 * killed worker's cell is retried about 3 s later), until SIGTERM. With LOOKRIGHT_TEST_MLFLOW_URI set, tracked
 * cells' files go to the MLflow server there (waiting up to 20 s for the cell’s run).
 */
import { redisTarget } from '../schedule/queue/redis-connection.js';
import { testMlflowTracker } from './test-mlflow-tracker.js';
import { startTestQueueWorker } from './test-queue-worker.js';
import { testRegistry } from './test-registry.js';

const [url, scratchDir, concurrency, pluginVersion] = process.argv.slice(2);
const mlflowUri = process.env.LOOKRIGHT_TEST_MLFLOW_URI;
if (url && scratchDir) {
  const worker = await startTestQueueWorker(redisTarget(url), scratchDir, {
    concurrency: Number(concurrency ?? 1),
    registry: testRegistry(pluginVersion),
    lockMs: 2000,
    stalledIntervalMs: 1000,
    maxStalledCount: 1000,
    discoverMs: 200,
    ...(mlflowUri && { cellFiles: testMlflowTracker(mlflowUri).cellFiles, cellFilesWaitMs: 20_000 }),
    print: (line) => console.log(line),
  });
  process.once('SIGTERM', () => void worker.close(true).then(() => process.exit(0)));
}
