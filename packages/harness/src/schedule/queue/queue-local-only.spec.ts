import assert from 'node:assert/strict';
import type { SuiteCell } from '../../expand/pretrain-cells.js';
import { cpuRunnerRef } from '../../testing/cpu-cell-runner.js';
import type { ScheduleJob } from '../scheduler.js';
import { QueueScheduler } from './queue-scheduler.js';
import { redisTarget } from './redis-connection.js';

/** A fine-tuning cell as far as the refusal reads it (suite file, backbone label). */
const cell = (hash: string, backbone: string) =>
  ({ hash, labels: { backbone }, config: { suite: { file: 'suite.yaml' } } }) as unknown as SuiteCell;

describe('QueueScheduler and cells that wait for another cell', () => {
  it('refuses a job whose cells wait for a pre-training cell before reaching Redis (it cannot honour the wait)', async () => {
    // nothing listens on port 1: reaching Redis would fail with another error
    const scheduler = new QueueScheduler({ target: redisTarget('redis://127.0.0.1:1') });
    const job: ScheduleJob = {
      cells: [cell('aaaa', 'plain'), cell('bbbb', 'made')],
      storeDir: '/nonexistent',
      executionId: 1,
      runner: cpuRunnerRef,
      limits: { timeoutSeconds: null, memoryMiB: null },
      dependencies: { of: (c) => (c.hash === 'bbbb' ? 'pppp' : undefined), release: (c) => c },
    };
    await assert.rejects(scheduler.run(job), {
      code: 'PRETRAIN_QUEUE_UNSUPPORTED',
      message: /suite suite\.yaml pre-trains made;/,
    });
  });
});
