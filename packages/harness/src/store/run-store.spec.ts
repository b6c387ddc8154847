import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { testCells } from '../testing/test-suite.js';
import type { Claim } from './cell-ledger.js';
import { migrations, schemaVersion } from './migrations.js';
import { currentProcess } from './process-identity.js';
import { RunStore } from './run-store.js';

async function openWithSuite() {
  const { dir, file, cells } = await testCells();
  const store = RunStore.open(join(dir, 'runs'));
  const suiteId = store.registerSuite({ name: 'test-suite', file, json: { name: 'test-suite' } }, cells);
  const executionId = store.beginExecution(suiteId, currentProcess());
  return { dir, store, cells, suiteId, executionId };
}

function claimOk(result: ReturnType<RunStore['ledger']['claim']>): Claim {
  assert.ok('attemptId' in result, `claim refused: ${JSON.stringify(result)}`);
  return result;
}

/** The identity of a process that has exited (its PID is gone). */
function deadProcess() {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return { ...currentProcess(), pid: Number(child.stdout.trim()), start: '1' };
}

describe('RunStore', () => {
  it('opens in WAL mode at the current schema version and registers cells PENDING', async () => {
    const { store, cells, suiteId } = await openWithSuite();
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(store.db.pragma('user_version', { simple: true }), schemaVersion);
    assert.deepEqual(store.statusCounts(suiteId), { PENDING: cells.length, RUNNING: 0, FINISHED: 0, FAILED: 0 });
    const stored = store.queries.suiteCells('test-suite');
    assert.deepEqual(
      stored.map((c) => c.hash),
      cells.map((c) => c.hash),
    );
    assert.equal(store.queries.params(cells[0].hash)['recipe.epochs'], '1');
    store.close();
  });

  it('finishes a cell with fsynced artifacts, metrics and steps, and refuses to run it again', async () => {
    const { store, cells, executionId, dir } = await openWithSuite();
    const hash = cells[0].hash;
    const claim = claimOk(store.ledger.claim(hash, executionId, currentProcess(), join(dir, 'log')));
    store.ledger.recordSteps(claim.attemptId, [
      { step: 1, name: 'train.loss', value: 2.5 },
      { step: 2, name: 'train.loss', value: 2.0 },
    ]);
    const artifact = join(dir, 'predictions.txt');
    writeFileSync(artifact, 'EU B-ORG B-ORG\n');
    store.ledger.finish(hash, claim.attemptId, {
      metrics: { 'dev.f1': 0.5 },
      artifacts: [{ name: 'predictions', path: artifact }],
    });
    const stored = store.queries.cell(hash);
    assert.equal(stored?.status, 'FINISHED');
    assert.deepEqual(stored?.metrics, { 'dev.f1': 0.5 });
    assert.equal(stored?.artifacts[0].sha256, createHash('sha256').update(readFileSync(artifact)).digest('hex'));
    assert.deepEqual(
      store.queries.stepMetrics(hash).map((m) => m.value),
      [2.5, 2.0],
    );
    assert.deepEqual(store.ledger.claim(hash, executionId, currentProcess(), 'x'), { refused: 'finished' });
    store.close();
  });

  it('refuses non-finite metrics and missing artifacts, leaving the cell RUNNING', async () => {
    const { store, cells, executionId, dir } = await openWithSuite();
    const hash = cells[0].hash;
    const claim = claimOk(store.ledger.claim(hash, executionId, currentProcess(), 'log'));
    assert.throws(
      () => store.ledger.finish(hash, claim.attemptId, { metrics: { f1: Number.NaN }, artifacts: [] }),
      /CELL_METRIC_NOT_FINITE|reported metric f1 = NaN/,
    );
    assert.throws(
      () =>
        store.ledger.finish(hash, claim.attemptId, { metrics: {}, artifacts: [{ name: 'p', path: join(dir, 'no') }] }),
      /does not exist/,
    );
    assert.equal(store.ledger.status(hash), 'RUNNING');
    store.close();
  });

  it('keeps a live owner’s cell, reclaims a dead owner’s, and refuses the stale attempt’s result', async () => {
    const { store, cells, executionId } = await openWithSuite();
    const hash = cells[1].hash;
    const first = claimOk(store.ledger.claim(hash, executionId, currentProcess(), 'log1'));
    const refused = store.ledger.claim(hash, executionId, currentProcess(), 'log2');
    assert.equal('refused' in refused && refused.refused, 'running');

    const { store: other, cells: sameCells } = await openWithSuite();
    other.close();
    assert.equal(sameCells[1].hash, hash);
    // Make the running attempt look owned by a process that has exited, as after kill -9 of a harness.
    const dead = deadProcess();
    store.db
      .prepare('UPDATE attempts SET owner_pid = ?, owner_start = ? WHERE id = ?')
      .run(dead.pid, dead.start, first.attemptId);
    const second = claimOk(store.ledger.claim(hash, executionId, currentProcess(), 'log3'));
    assert.equal(second.reason, 'retry-orphaned');
    assert.deepEqual(
      store.queries.attempts(hash).map((a) => a.outcome),
      ['ORPHANED', null],
    );
    assert.throws(() => store.ledger.finish(hash, first.attemptId, { metrics: {}, artifacts: [] }), /no longer owns/);
    assert.equal(store.ledger.fail(hash, first.attemptId, { code: 'X', message: 'late' }), false);
    store.ledger.finish(hash, second.attemptId, { metrics: { f1: 1 }, artifacts: [] });
    assert.equal(store.ledger.status(hash), 'FINISHED');
    store.close();
  });

  it('retries a FAILED cell as a new attempt', async () => {
    const { store, cells, executionId } = await openWithSuite();
    const hash = cells[0].hash;
    const a = claimOk(store.ledger.claim(hash, executionId, currentProcess(), 'log'));
    assert.equal(store.ledger.fail(hash, a.attemptId, { code: 'CELL_CRASHED', message: 'boom' }), true);
    assert.equal(store.queries.cell(hash)?.attempt?.errorMessage, 'boom');
    const b = claimOk(store.ledger.claim(hash, executionId, currentProcess(), 'log'));
    assert.equal(b.reason, 'retry-failed');
    assert.notEqual(b.attemptId, a.attemptId);
    store.close();
  });

  it('keeps cell status across reopen and suite re-registration', async () => {
    const { store, cells, executionId, dir, suiteId } = await openWithSuite();
    const claim = claimOk(store.ledger.claim(cells[0].hash, executionId, currentProcess(), 'log'));
    store.ledger.finish(cells[0].hash, claim.attemptId, { metrics: { f1: 0.25 }, artifacts: [] });
    store.close();
    const reopened = RunStore.open(join(dir, 'runs'));
    reopened.registerSuite({ name: 'test-suite', file: 'f', json: {} }, cells);
    assert.equal(reopened.statusCounts(suiteId).FINISHED, 1);
    reopened.close();
  });

  it('queues MLflow events in order and forgets them once sent', async () => {
    const { store } = await openWithSuite();
    const a = store.outbox.enqueue({ kind: 'run.create', payload: { name: 'x' } });
    const b = store.outbox.enqueue({ kind: 'metrics.log', cellHash: 'h', payload: { metrics: [1, 2] } });
    store.outbox.markFailed(a, 'ECONNREFUSED');
    const pending = store.outbox.pending();
    assert.deepEqual(
      pending.map((e) => [e.id, e.kind, e.tries]),
      [
        [a, 'run.create', 1],
        [b, 'metrics.log', 0],
      ],
    );
    assert.deepEqual(pending[1].payload, { metrics: [1, 2] });
    store.outbox.markSent([a]);
    assert.deepEqual(
      store.outbox.pending().map((e) => e.id),
      [b],
    );
    assert.equal(store.outbox.pendingCount(), 1);
    store.close();
  });

  it('gives each store a random id, created with it and kept across reopening', async () => {
    const { store, dir } = await openWithSuite();
    const { store: other } = await openWithSuite();
    assert.match(store.id, /^[0-9a-f]{32}$/);
    assert.notEqual(store.id, other.id);
    store.close();
    other.close();
    const reopened = RunStore.open(join(dir, 'runs'));
    assert.equal(reopened.id, store.id);
    reopened.close();
  });

  it('gives a store made before store ids an id through its migration, and sets it on the events it queued', async () => {
    const { dir } = await testCells();
    const folder = join(dir, 'old-store');
    mkdirSync(folder);
    const old = new Database(join(folder, 'lookright.sqlite'));
    old.exec(migrations[0].sql);
    old.pragma('user_version = 1');
    old
      .prepare("INSERT INTO mlflow_outbox (created_at, kind, execution_id, payload_json) VALUES ('t', ?, 1, ?)")
      .run('execution.start', JSON.stringify({ type: 'execution.start', suiteName: 's', executionId: 1 }));
    old.close();
    const store = RunStore.open(folder);
    assert.match(store.id, /^[0-9a-f]{32}$/);
    assert.equal(store.db.pragma('user_version', { simple: true }), schemaVersion);
    assert.deepEqual(store.outbox.pending()[0].payload, {
      type: 'execution.start',
      suiteName: 's',
      executionId: 1,
      storeId: store.id,
    });
    store.close();
  });

  it('keeps the executions of a schema-2 store, their owner start taken from their attempts as before', async () => {
    const { dir } = await testCells();
    const folder = join(dir, 'schema-2-store');
    mkdirSync(folder);
    const old = new Database(join(folder, 'lookright.sqlite'));
    for (const step of migrations.slice(0, 2)) old.exec(step.sql);
    old.pragma('user_version = 2');
    old.prepare("INSERT INTO suites (id, name, file, suite_json, updated_at) VALUES (1, 's', 'f', '{}', 't')").run();
    old
      .prepare(
        "INSERT INTO cells (hash, config_json, labels_json, status, updated_at) VALUES ('h', '{}', '{}', 'FAILED', 't')",
      )
      .run();
    for (const id of [1, 2]) {
      old.prepare("INSERT INTO executions (id, suite_id, pid, host, started_at) VALUES (?, 1, 42, 'box', 't')").run(id);
    }
    old
      .prepare(
        "INSERT INTO attempts (cell_hash, execution_id, owner_pid, owner_host, owner_start, log_path, started_at) VALUES ('h', 1, 42, 'box', '777', 'l', 't')",
      )
      .run();
    old.close();
    const store = RunStore.open(folder);
    assert.equal(store.db.pragma('user_version', { simple: true }), schemaVersion);
    assert.deepEqual(store.queries.executionOwner(1), { pid: 42, host: 'box', start: '777' }, 'from its attempt');
    assert.deepEqual(store.queries.executionOwner(2), { pid: 42, host: 'box', start: '' }, 'no attempt: unknown');
    const fresh = store.beginExecution(1, { pid: 43, host: 'box', start: '888' });
    assert.deepEqual(store.queries.executionOwner(fresh), { pid: 43, host: 'box', start: '888' }, 'its own');
    store.close();
  });

  it("keeps no password of a URL in the store's copy of the suite and its cells", async () => {
    const { dir, file, cells } = await testCells();
    const password = 'pw-Zq81-in-the-uri';
    const uri = `http://alice:${password}@127.0.0.1:5000`;
    const suite = { name: 'secret-suite', trackers: [{ id: 'tracker:mlflow', params: { uri } }] };
    const withUrl = { ...cells[0], config: { ...cells[0].config, note: `mirror ${uri}/data` } } as (typeof cells)[0];
    const folder = join(dir, 'secret-store');
    const store = RunStore.open(folder);
    store.registerSuite({ name: suite.name, file, json: suite }, [withUrl, ...cells.slice(1)]);
    const stored = store.db.prepare('SELECT suite_json FROM suites').get() as { suite_json: string };
    assert.deepEqual(JSON.parse(stored.suite_json).trackers[0].params, { uri: 'http://***@127.0.0.1:5000' });
    store.close();
    const files = readdirSync(folder).filter((f) => f.startsWith('lookright.sqlite'));
    assert.ok(files.length > 0);
    for (const f of files) assert.ok(!readFileSync(join(folder, f)).includes(password), `${f} holds the password`);
  });

  it('refuses a store written by a newer schema', async () => {
    const { dir } = await openWithSuite();
    const folder = join(dir, 'newer');
    mkdirSync(folder);
    const db = new Database(join(folder, 'lookright.sqlite'));
    db.pragma(`user_version = ${schemaVersion + 1}`);
    db.close();
    assert.throws(() => RunStore.open(folder), /newer than this lookright knows/);
  });
});
