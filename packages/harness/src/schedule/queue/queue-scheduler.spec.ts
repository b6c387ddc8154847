import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeReport } from '../../report/write-report.js';
import { RunStore } from '../../store/run-store.js';
import { useTestRedis } from '../../testing/redis-server.js';
import {
  cellResults,
  startTestHarness,
  startTestWorker,
  storeView,
  type TestProcess,
  waitUntil,
} from '../../testing/test-processes.js';
import { startTestQueueWorker } from '../../testing/test-queue-worker.js';
import { writeTestSuite } from '../../testing/test-suite.js';
import { runTestSuite } from '../../testing/test-suite-in-process.js';
import { QueueScheduler } from './queue-scheduler.js';
import { redisTarget } from './redis-connection.js';

async function reportMarkdown(storeDir: string): Promise<string> {
  const store = RunStore.open(storeDir);
  try {
    const report = await writeReport(store, {
      suiteName: 'test-suite',
      outDir: join(storeDir, 'report'),
      metric: 'dev.f1',
    });
    return readFileSync(report.markdown, 'utf8');
  } finally {
    store.close();
  }
}

/** The hash of a cell a worker is running that has reported at least one step (from its scratch folders). */
function midCell(scratchDir: string): string | undefined {
  const cells = join(scratchDir, 'cells');
  if (!existsSync(cells)) return undefined;
  const running = readdirSync(cells, { recursive: true, encoding: 'utf8' })
    .filter((p) => /attempt-\d+[/\\]output[/\\]steps\.txt$/.test(p))
    .find((p) => readFileSync(join(cells, p), 'utf8').length > 0);
  return running?.split(/[/\\]/)[1];
}

describe('QueueScheduler with real Redis and worker processes', function () {
  this.timeout(240_000);
  const redis = useTestRedis();
  const processes: TestProcess[] = [];
  const env = { LOOKRIGHT_TEST_STEP_MS: '100' };

  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill9()));
  });

  it('survives kill -9 of a worker mid-cell and of the harness: every cell FINISHED once, report equal to a local run', async () => {
    const url = redis().url;
    const { file, dir } = writeTestSuite({ seeds: [1, 2, 3] });
    const local = join(dir, 'local');
    await runTestSuite(file, local, { workers: 2 });

    const storeDir = join(dir, 'queued');
    const scratch = [join(dir, 'worker-1'), join(dir, 'worker-2')];
    const workers = scratch.map((s) => startTestWorker(url, s, env));
    processes.push(...workers);
    let harness = startTestHarness(file, storeDir, { queueUrl: url, env });
    processes.push(harness);

    let interrupted: string | undefined;
    await waitUntil(() => {
      interrupted = midCell(scratch[0]);
      return interrupted !== undefined;
    }, 'worker 1 is mid-cell');
    await workers[0].kill9();
    processes.push(startTestWorker(url, scratch[0], env));

    await waitUntil(() => storeView(storeDir).some((c) => c.status === 'FINISHED'), 'a cell is FINISHED');
    await harness.kill9();
    assert.ok(
      storeView(storeDir).some((c) => c.status !== 'FINISHED'),
      'the harness was killed before the end',
    );
    harness = startTestHarness(file, storeDir, { queueUrl: url, env });
    processes.push(harness);
    assert.equal(await harness.exit, 0, harness.output());
    assert.match(harness.output(), /to run on queue redis:\/\/127\.0\.0\.1:\d+;/);

    const cells = storeView(storeDir);
    assert.equal(cells.length, 6);
    for (const c of cells) {
      assert.equal(c.status, 'FINISHED', c.hash);
      assert.equal(c.attempts.filter((a) => a.outcome === 'FINISHED').length, 1, `${c.hash}: one FINISHED attempt`);
    }
    assert.deepEqual(cellResults(storeDir), cellResults(local));
    assert.equal(await reportMarkdown(storeDir), await reportMarkdown(local));
    const retried = cells.find((c) => c.hash === interrupted);
    assert.ok(retried, 'the cell worker 1 was killed in belongs to the suite');
    assert.ok(
      cells.some((c) => c.attempts.some((a) => a.outcome === 'ORPHANED')),
      'the restarted harness took over attempts of the killed one',
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('records each result when its job ends, not at the next look (a look an hour away does not hold the run up)', async () => {
    const target = redisTarget(redis().url);
    const { file, dir } = writeTestSuite({ seeds: [4] });
    const worker = await startTestQueueWorker(target, join(dir, 'scratch'), { concurrency: 2 });
    try {
      const result = await runTestSuite(file, join(dir, 'runs'), {
        scheduler: new QueueScheduler({ target, pollMs: 3_600_000 }),
      });
      assert.deepEqual(result.summary, { finished: 2, failed: 0, skipped: 0, interrupted: false });
    } finally {
      await worker.close(true);
    }
    rmSync(dir, { recursive: true, force: true });
  });
});
