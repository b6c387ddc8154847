/**
 * Child-process entry for the harness's kill tests: `node --import tsx run-test-suite.ts <suite.yaml> <storeDir>
 * <workers> [redis-url]` runs a suite over the test plugins with the deterministic CPU cell runner, on a local
 * pool of <workers>, or on the queue at redis-url (polled every 200 ms).
 */
import { runSuite } from '../run/run-suite.js';
import { QueueScheduler } from '../schedule/queue/queue-scheduler.js';
import { redisTarget } from '../schedule/queue/redis-connection.js';
import { cpuRunnerRef } from './cpu-cell-runner.js';
import { testRegistry } from './test-registry.js';

const [suiteFile, storeDir, workers, queueUrl] = process.argv.slice(2);
if (suiteFile) {
  const result = await runSuite({
    suiteFile,
    storeDir,
    workers: Number(workers ?? 2),
    registry: testRegistry(),
    runner: cpuRunnerRef,
    env: {},
    ...(queueUrl && { scheduler: new QueueScheduler({ target: redisTarget(queueUrl), pollMs: 200 }) }),
  });
  process.exit(result.summary.failed ? 1 : 0);
}
