import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore } from '../../packages/harness/src/store/run-store.js';
import {
  makeTestCertificates,
  requireRedisServer,
  startTestRedis,
  type TestRedis,
} from '../../packages/harness/src/testing/redis-server.js';
import { dataPath } from '../support/fixtures.js';
import { repoRoot, runCli } from '../support/run-cli.js';

const password = 'queue-test-Pa55word';
/** Metrics that measure time, not results; they differ between any two runs (and so do the files holding them). */
const timing = new Set(['seconds', 'trainSeconds']);
const timedFiles = new Set(['metrics', 'steps']);

function finishedCell(storeDir: string) {
  const store = RunStore.open(storeDir);
  try {
    const [cell] = store.queries.suiteCells('queue-e2e');
    const files = Object.fromEntries(
      cell.artifacts.filter((a) => !timedFiles.has(a.name)).map((a) => [a.name, a.sha256]),
    );
    const losses = store.queries.stepMetrics(cell.hash).filter((s) => s.name.includes('loss'));
    const metrics = Object.fromEntries(Object.entries(cell.metrics).filter(([k]) => !timing.has(k)));
    return {
      status: cell.status,
      hash: cell.hash,
      metrics,
      files,
      losses,
      attempts: store.queries.attempts(cell.hash),
    };
  } finally {
    store.close();
  }
}

/** Every file under a folder, as text, to search for a secret. */
const allText = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name)).toString('latin1'))
    .join('\n');

/** The one-cell suite of these tests (a real LoRA trainer cell on the shared tiny checkpoint), written to `dir`. */
function writeQueueSuite(ctx: Mocha.Context, dir: string): string {
  const model = dataPath(ctx, 'tiny_checkpoints', 'stories260K_hf');
  dataPath(ctx, 'conll2003', 'eng.train');
  const suiteFile = join(dir, 'suite.yaml');
  writeFileSync(
    suiteFile,
    `name: queue-e2e
recipe: {epochs: 1, maxSteps: 3, batchSize: 8, gradientAccumulation: 1, maxLength: 32, trainLimit: 24, devLimit: 16, testLimit: 24, learningRate: 0.01, lora: {r: 4, alpha: 8, dropout: 0.1, targets: [q, v]}}
axes:
  backbone: [{id: backbone:llama, params: {model: ${JSON.stringify(model)}}}]
  mask: ["00111"]
  dataset: [{id: dataset:conll2003, params: {task: ner}}]
  seed: [2]
`,
  );
  return suiteFile;
}

/** `lookright worker --queue <url> --scratch <dir>` in the background, its output kept; `stop` sends SIGTERM. */
function startCliWorker(url: string, scratchDir: string, env: NodeJS.ProcessEnv) {
  const worker = spawn(
    process.execPath,
    ['--import', 'tsx', `${repoRoot}packages/cli/src/main.ts`, 'worker', '--queue', url, '--scratch', scratchDir],
    { cwd: repoRoot, env: { ...process.env, OPENBLAS_NUM_THREADS: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  worker.stdout.on('data', (d) => (output += d));
  worker.stderr.on('data', (d) => (output += d));
  const exit = new Promise((r) => worker.once('exit', r));
  return {
    output: () => output,
    stop: async () => {
      worker.kill('SIGTERM');
      await exit;
    },
  };
}

/**
 * `lookright worker --queue` and `lookright run --queue` as a user runs them, with one real LoRA trainer cell on a
 * password-protected Redis: the queued result (metrics, predictions, PEFT export) equals a local run's, the report
 * is written, and the password appears nowhere.
 */
describe('lookright run --queue with lookright worker (real trainer cell)', function () {
  this.timeout(900_000);
  let redis: TestRedis | undefined;
  let dir = '';
  before(async function () {
    requireRedisServer(this);
    redis = await startTestRedis({ password });
    dir = mkdtempSync(join(tmpdir(), 'lookright-queue-cli-'));
  });
  after(async () => {
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the cell on a worker, records it like a local run, and never prints the password', async function () {
    const suiteFile = writeQueueSuite(this, dir);
    const local = runCli(['run', suiteFile, '--store', join(dir, 'local'), '--workers', '1'], { timeoutMs: 600_000 });
    assert.equal(local.status, 0, `${local.stdout}\n${local.stderr}`);

    const port = (redis as TestRedis).port;
    const worker = startCliWorker(`redis://127.0.0.1:${port}`, join(dir, 'scratch'), { REDIS_PASSWORD: password });
    try {
      const queued = runCli(['run', suiteFile, '--store', join(dir, 'queued'), '--queue', (redis as TestRedis).url], {
        timeoutMs: 600_000,
      });
      const output = `${queued.stdout}\n${queued.stderr}`;
      assert.equal(queued.status, 0, output);
      assert.match(queued.stdout, /1 to run on queue redis:\/\/127\.0\.0\.1:\d+; store/);
      assert.match(queued.stdout, /\[1\/1 done, 0 running, 0 failed, ETA 0s\] done /);
      assert.match(queued.stdout, /report of 1 finished cells: /);
      assert.doesNotMatch(output + worker.output(), new RegExp(password));
      assert.doesNotMatch(allText(join(dir, 'queued')), new RegExp(password));
    } finally {
      await worker.stop();
    }
    assert.match(worker.output(), /queue cells-[0-9a-f]{16} \(runner:train@/);
    const a = finishedCell(join(dir, 'local'));
    const b = finishedCell(join(dir, 'queued'));
    assert.equal(b.status, 'FINISHED');
    assert.deepEqual({ ...b, attempts: b.attempts.length }, { ...a, attempts: a.attempts.length });
    assert.ok(
      Object.keys(b.files).some((name) => name.startsWith('peft.')),
      'the PEFT export travelled back',
    );
  });

  it('a worker refuses to start when backend auto does not resolve to --backend here, naming both', () => {
    const url = `redis://127.0.0.1:${(redis as TestRedis).port}`;
    const env = { REDIS_PASSWORD: password };
    const run = runCli(['worker', '--queue', url, '--backend', 'tensorflow-gpu', '--scratch', join(dir, 'gpu')], {
      env,
    });
    assert.equal(run.status, 1, run.stdout);
    assert.match(run.stderr, /--backend tensorflow-gpu: on this machine backend auto resolves to (wasm|tensorflow) /);
    assert.doesNotMatch(run.stdout + run.stderr, new RegExp(password));
    const wrong = runCli(['worker', '--queue', url, '--scratch', join(dir, 'gpu')], {
      env: { REDIS_PASSWORD: 'wrong' },
    });
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: WRONGPASS/);
  });
});

/**
 * The same over TLS: a TLS-only redis-server with a password and a certificate from a throwaway CA, which the
 * worker and `run --queue rediss://:password@…` are given in LOOKRIGHT_REDIS_CA; a worker given another CA stops at
 * once with the typed error.
 */
describe('lookright run --queue rediss:// with lookright worker (real trainer cell)', function () {
  this.timeout(900_000);
  let redis: TestRedis | undefined;
  let dir = '';
  before(async function () {
    requireRedisServer(this);
    redis = await startTestRedis({ password, tls: true });
    dir = mkdtempSync(join(tmpdir(), 'lookright-queue-tls-'));
  });
  after(async () => {
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the cell through TLS with the CA from LOOKRIGHT_REDIS_CA; another CA is QUEUE_TLS_REJECTED at once', async function () {
    const suiteFile = writeQueueSuite(this, dir);
    const { url, caFile } = redis as TestRedis;
    const other = makeTestCertificates(mkdtempSync(join(dir, 'other-ca-')), 'other-ca');
    const refused = runCli(['worker', '--queue', url, '--scratch', join(dir, 'refused')], {
      env: { LOOKRIGHT_REDIS_CA: other.ca },
    });
    assert.equal(refused.status, 1, refused.stdout);
    assert.match(
      refused.stderr,
      /error: Redis at rediss:\/\/127\.0\.0\.1:\d+ presented a TLS certificate this machine does not trust: /,
    );
    assert.match(refused.stderr, /hint: Set LOOKRIGHT_REDIS_CA/);
    assert.doesNotMatch(refused.stdout + refused.stderr, new RegExp(password));

    const env = { LOOKRIGHT_REDIS_CA: caFile };
    const worker = startCliWorker(url, join(dir, 'scratch'), env);
    try {
      const queued = runCli(['run', suiteFile, '--store', join(dir, 'queued'), '--queue', url], {
        env,
        timeoutMs: 600_000,
      });
      const output = `${queued.stdout}\n${queued.stderr}`;
      assert.equal(queued.status, 0, output);
      assert.match(queued.stdout, /1 to run on queue rediss:\/\/127\.0\.0\.1:\d+; store/);
      assert.match(queued.stdout, /report of 1 finished cells: /);
      assert.doesNotMatch(output + worker.output(), new RegExp(password));
      assert.doesNotMatch(allText(join(dir, 'queued')) + allText(join(dir, 'scratch')), new RegExp(password));
    } finally {
      await worker.stop();
    }
    assert.equal(finishedCell(join(dir, 'queued')).status, 'FINISHED');
  });
});
