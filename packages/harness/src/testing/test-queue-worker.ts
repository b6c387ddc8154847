import { QueueCellWorker, type QueueWorkerOptions } from '../schedule/queue/queue-cell-worker.js';
import type { RedisTarget } from '../schedule/queue/redis-connection.js';
import { cpuRunnerRef } from './cpu-cell-runner.js';
import { testRegistry } from './test-registry.js';

/** The queue worker options a test sets itself; any it leaves out get startTestQueueWorker's defaults or the worker's. */
export type TestQueueWorkerOptions = Partial<Omit<QueueWorkerOptions, 'target' | 'scratchDir'>>;

/**
 * A queue worker in this process, as the harness's tests start one: the deterministic CPU cell runner
 * (`cpuRunnerRef`), the test plugins (`testRegistry()`), no time or memory limit, one cell at a time and no
 * printed lines, unless `extra` gives its own; every other option in `extra` (discoverMs, lockMs, cellFiles,
 * maxResultBytes, ...) goes to QueueCellWorker.start as it is. `run-test-worker.ts` is such a worker in a child
 * process. The caller closes the worker.
 */
export function startTestQueueWorker(
  target: RedisTarget,
  scratchDir: string,
  extra: TestQueueWorkerOptions = {},
): Promise<QueueCellWorker> {
  return QueueCellWorker.start({
    ...extra,
    target,
    scratchDir,
    concurrency: extra.concurrency ?? 1,
    runner: extra.runner ?? cpuRunnerRef,
    registry: extra.registry ?? testRegistry(),
    limits: extra.limits ?? { timeoutSeconds: null, memoryMiB: null },
    print: extra.print ?? (() => {}),
  });
}
