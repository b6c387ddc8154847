import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LookrightError } from '@lookright/core';
import { connectionFromEnv, MlflowClient, MlflowTracker } from '@lookright/plugin-trackers';
import { FakeMlflowServer } from '@lookright/plugin-trackers/testing';
import { QueueEvents } from 'bullmq';
import { RunStore } from '../../store/run-store.js';
import { useTestRedis } from '../../testing/redis-server.js';
import { testMlflowTracker } from '../../testing/test-mlflow-tracker.js';
import { cellResults, storeView } from '../../testing/test-processes.js';
import { startTestQueueWorker } from '../../testing/test-queue-worker.js';
import { testQueueName, writeTestSuite } from '../../testing/test-suite.js';
import { runTestSuite } from '../../testing/test-suite-in-process.js';
import { TrackingObserver } from '../../tracking/tracking-observer.js';
import { type CellPayload, packCell } from './cell-payload.js';
import { queuePrefix } from './queue-capability.js';
import { QueueScheduler } from './queue-scheduler.js';
import { bullConnection, redisTarget } from './redis-connection.js';
import { getCellFiles, putCellFiles } from './tracked-cell-files.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The JSON size of a stored cell's payload with its files, and with a manifest in their place. */
function payloadSizes(storeDir: string, hash: string) {
  const store = RunStore.openExisting(storeDir);
  try {
    const stored = store.queries.cell(hash);
    assert.ok(stored?.attempt);
    const input = {
      hash,
      outputDir: join(store.cellDir(hash), 'output'),
      result: { metrics: stored.metrics, artifacts: stored.artifacts },
      steps: store.queries.stepMetrics(hash, stored.attempt.id),
      log: '',
      worker: 'host 1',
    };
    const size = (p: CellPayload) => Buffer.byteLength(JSON.stringify(p));
    const manifest = stored.artifacts.map((a) => ({
      path: a.name,
      stored: `${'0'.repeat(12)}/${a.name}`,
      bytes: 0,
      sha256: '0'.repeat(64),
    }));
    return { withFiles: size(packCell(input, Infinity)), withManifest: size(packCell(input, Infinity, manifest)) };
  } finally {
    store.close();
  }
}

describe('cell files through MLflow artifacts', function () {
  this.timeout(180_000);

  describe('over the queue, with real Redis', () => {
    const redis = useTestRedis();
    const stepMs = process.env.LOOKRIGHT_TEST_STEP_MS;
    before(() => {
      process.env.LOOKRIGHT_TEST_STEP_MS = '0';
    });
    after(() => {
      if (stepMs === undefined) delete process.env.LOOKRIGHT_TEST_STEP_MS;
      else process.env.LOOKRIGHT_TEST_STEP_MS = stepMs;
    });

    /**
     * Runs a one-cell suite on the queue with a Redis result limit that the cell's files do not fit under but
     * their manifest does (measured on a local run of the same cell); the worker reaches MLflow when `viaMlflow`.
     */
    async function runOverLimit(viaMlflow: boolean) {
      const target = redisTarget(redis().url);
      const { file, dir } = writeTestSuite({ seeds: [3], masks: ['mask:causal'], maxSteps: 1500 });
      const reference = join(dir, 'reference');
      await runTestSuite(file, reference, { workers: 1 });
      const [hash] = storeView(reference).map((c) => c.hash);
      const sizes = payloadSizes(reference, hash);
      assert.ok(sizes.withFiles > sizes.withManifest + 4096, JSON.stringify(sizes));
      const maxResultBytes = Math.floor((sizes.withFiles + sizes.withManifest) / 2);
      const server = await new FakeMlflowServer().start();
      const events = new QueueEvents(await testQueueName(), {
        connection: bullConnection(target),
        prefix: queuePrefix,
      });
      const delivered: CellPayload[] = [];
      events.on('completed', ({ returnvalue }) =>
        delivered.push((typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue) as CellPayload),
      );
      await events.waitUntilReady();
      const worker = await startTestQueueWorker(target, join(dir, 'scratch'), {
        maxResultBytes,
        ...(viaMlflow && { cellFiles: testMlflowTracker(server.uri).cellFiles, cellFilesWaitMs: 60_000 }),
      });
      const storeDir = join(dir, 'runs');
      try {
        const result = await runTestSuite(file, storeDir, {
          scheduler: new QueueScheduler({ target, attempts: 1, pollMs: 100 }),
          observers: [new TrackingObserver([testMlflowTracker(server.uri)])],
        });
        return { dir, hash, reference, storeDir, server, delivered, summary: result.summary };
      } finally {
        await worker.close(true);
        await events.close();
        await server.stop();
      }
    }

    it('sends a tracked cell’s files into its one MLflow run and only their manifest through Redis, so a result over the Redis limit is recorded', async () => {
      const { dir, hash, reference, storeDir, server, delivered, summary } = await runOverLimit(true);
      try {
        assert.deepEqual(summary, { finished: 1, failed: 0, skipped: 0, interrupted: false });
        assert.deepEqual(cellResults(storeDir), cellResults(reference));
        const [payload] = delivered;
        assert.deepEqual(payload.files, [], 'no file content through Redis');
        const stored = storeView(storeDir)[0];
        const expected = stored.artifacts
          .map((a) => readFileSync(a.path))
          .map((bytes) => ({ bytes: bytes.length, sha256: sha256(bytes) }));
        assert.deepEqual(
          payload.manifest?.map((m) => ({ bytes: m.bytes, sha256: m.sha256 })).sort((a, b) => a.bytes - b.bytes),
          expected.sort((a, b) => a.bytes - b.bytes),
        );
        const runs = [...server.state.runs.values()].filter((r) => r.tags.get('lookright.cell_hash') === hash);
        assert.equal(runs.length, 1);
        assert.equal(runs[0].info.status, 'FINISHED');
        for (const entry of payload.manifest ?? []) {
          const inStore = stored.artifacts.find((a) => a.path.endsWith(`/output/${entry.path}`));
          assert.ok(inStore, entry.path);
          assert.match(entry.stored, new RegExp(`^[0-9a-f]{12}/${entry.path}$`));
          assert.deepEqual(runs[0].artifacts.get(`cell-files/${entry.stored}`), readFileSync(inStore.path));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('the same result from a worker without MLflow is over the limit: QUEUE_RESULT_TOO_LARGE', async () => {
      const { dir, storeDir, summary } = await runOverLimit(false);
      try {
        assert.equal(summary.failed, 1);
        assert.equal(storeView(storeDir)[0].attempt?.errorCode, 'QUEUE_RESULT_TOO_LARGE');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('records the result once MLflow is back when it went down between the upload and the fetch', async () => {
      const target = redisTarget(redis().url);
      const { file, dir } = writeTestSuite({ seeds: [4], masks: ['mask:causal'] });
      const server = await new FakeMlflowServer().start();
      const real = testMlflowTracker(server.uri).cellFiles;
      let outage: Promise<void> | undefined;
      // the worker's upload succeeds, then the server is down for 1.5 s: the harness's first fetches fail
      const cellFiles = {
        put: async (...args: Parameters<typeof real.put>) => {
          const done = await real.put(...args);
          if (done)
            outage = server
              .stop()
              .then(() => new Promise((r) => setTimeout(r, 1500)))
              .then(() => server.start().then(() => {}));
          return done;
        },
        get: real.get,
      };
      const worker = await startTestQueueWorker(target, join(dir, 'scratch'), { cellFiles, cellFilesWaitMs: 60_000 });
      const storeDir = join(dir, 'runs');
      try {
        const result = await runTestSuite(file, storeDir, {
          scheduler: new QueueScheduler({ target, pollMs: 100 }),
          observers: [new TrackingObserver([testMlflowTracker(server.uri)])],
        });
        assert.ok(outage, 'the files went through MLflow');
        await outage;
        assert.deepEqual(result.summary, { finished: 1, failed: 0, skipped: 0, interrupted: false });
        const [cell] = storeView(storeDir);
        assert.equal(cell.attempts.length, 1);
        for (const a of cell.artifacts) assert.ok(readFileSync(a.path).length > 0, a.name);
      } finally {
        await worker.close(true);
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('putCellFiles and getCellFiles against the fake MLflow server', () => {
    let server: FakeMlflowServer;
    let dir: string;
    const cell = { suiteName: 'suite-a', storeId: 'store-a', cellHash: 'abc123' };
    beforeEach(async () => {
      server = await new FakeMlflowServer().start();
      dir = mkdtempSync(join(tmpdir(), 'lookright-cell-files-'));
      writeFileSync(join(dir, 'a.bin'), Buffer.from([0, 255, 1, 254, 10, 13]));
    });
    afterEach(async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Opens the cell's run as the harness's tracker does when the cell starts. */
    async function openCellRun() {
      const tracker = testMlflowTracker(server.uri);
      const base = { ...cell, executionId: 1 };
      await tracker.deliver({ type: 'execution.start', ...base, startedAt: 1, tags: {} });
      await tracker.deliver({ type: 'cell.start', ...base, cellName: 'c', startedAt: 2, params: {}, tags: {} });
    }

    it('round-trips binary files byte for byte, keeps each delivery apart, and refuses a file changed in MLflow since (QUEUE_CELL_FILE_MISMATCH)', async () => {
      await openCellRun();
      const store = testMlflowTracker(server.uri).cellFiles;
      const manifest = await putCellFiles(store, cell, dir, [join(dir, 'a.bin')], { waitMs: 0 });
      assert.deepEqual(
        manifest?.map((m) => m.path),
        ['a.bin'],
      );
      const original = readFileSync(join(dir, 'a.bin'));
      // a second attempt of the cell delivers other bytes: the first manifest still gets its own
      writeFileSync(join(dir, 'a.bin'), 'a later attempt');
      const second = await putCellFiles(store, cell, dir, [join(dir, 'a.bin')], { waitMs: 0 });
      assert.notEqual(second?.[0].stored, manifest?.[0].stored);
      const out = join(dir, 'fetched');
      await getCellFiles(store, cell, manifest ?? [], out);
      assert.deepEqual(readFileSync(join(out, 'a.bin')), original);
      await getCellFiles(store, cell, second ?? [], join(dir, 'fetched-2'));
      assert.equal(readFileSync(join(dir, 'fetched-2', 'a.bin'), 'utf8'), 'a later attempt');
      const [run] = server.state.runs.values();
      const child = [...server.state.runs.values()].find((r) => r.tags.get('lookright.cell_hash') === 'abc123');
      assert.ok(run && child);
      child.artifacts.set(`cell-files/${manifest?.[0].stored}`, Buffer.from([0, 255, 1, 254, 10, 14]));
      await assert.rejects(
        getCellFiles(store, cell, manifest ?? [], out),
        (e: LookrightError) => e.code === 'QUEUE_CELL_FILE_MISMATCH' && /a\.bin/.test(e.message),
      );
    });

    it('waits for the cell’s run, then falls back to Redis naming why, never printing credentials', async () => {
      const lines: string[] = [];
      const secret = 'pa55-w0rd';
      const client = new MlflowClient(
        connectionFromEnv({ MLFLOW_TRACKING_URI: `http://alice:${secret}@127.0.0.1:${server.port}` }),
        500,
      );
      const store = new MlflowTracker(client).cellFiles;
      const files = [join(dir, 'a.bin')];
      assert.equal(
        await putCellFiles(store, cell, dir, files, { waitMs: 300, pollMs: 100, print: (l) => lines.push(l) }),
        undefined,
      );
      assert.match(lines.join('\n'), /go through Redis \(no MLflow run for it within 0\.3 s\)/);
      await server.stop();
      assert.equal(await putCellFiles(store, cell, dir, files, { waitMs: 0, print: (l) => lines.push(l) }), undefined);
      assert.match(lines[1], /TRACKER_UNREACHABLE/);
      assert.doesNotMatch(lines.join('\n'), new RegExp(secret));
      await server.start();
      await openCellRun();
      assert.ok(await putCellFiles(store, cell, dir, files, { waitMs: 0 }));
      assert.ok(server.authorizations.some((h) => h.startsWith('Basic ')));
    });
  });
});
