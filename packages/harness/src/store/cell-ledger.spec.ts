import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testCells } from '../testing/test-suite.js';
import type { Claim } from './cell-ledger.js';
import { currentProcess, processIdentity } from './process-identity.js';
import { RunStore } from './run-store.js';

async function openWithSuite() {
  const { dir, file, cells } = await testCells();
  const store = RunStore.open(join(dir, 'runs'));
  const suiteId = store.registerSuite({ name: 'test-suite', file, json: { name: 'test-suite' } }, cells);
  return { dir, store, hash: cells[0].hash, executionId: store.beginExecution(suiteId, currentProcess()) };
}

function claimed(result: ReturnType<RunStore['ledger']['claim']>): Claim {
  assert.ok('attemptId' in result, `claim refused: ${JSON.stringify(result)}`);
  return result;
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Writes an attempt's artifact folder the way a runner does. */
function attemptOutput(dir: string, name: string, text: string): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'metrics.json'), text);
  return folder;
}

describe('CellLedger', () => {
  it('records the worker PID in the claim that marks the cell RUNNING, and names it to the next claimant', async () => {
    const { store, hash, executionId } = await openWithSuite();
    const first = claimed(store.ledger.claim(hash, executionId, currentProcess(), 'log', 4242));
    assert.equal(store.queries.cell(hash)?.status, 'RUNNING');
    assert.equal(store.queries.cell(hash)?.attempt?.workerPid, 4242);
    assert.equal(first.previous, null);
    store.ledger.fail(hash, first.attemptId, { code: 'X', message: 'failed' });
    const second = claimed(store.ledger.claim(hash, executionId, currentProcess(), 'log', 4343));
    assert.deepEqual(second.previous, { attemptId: first.attemptId, workerPid: 4242 });
    store.close();
  });

  it('names the worker of an attempt whose harness is gone, and none while a live harness owns it', async () => {
    const { store, hash, executionId } = await openWithSuite();
    const harness = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      await new Promise((r) => harness.once('spawn', r));
      claimed(store.ledger.claim(hash, executionId, processIdentity(harness.pid as number), 'log', 4242));
      assert.equal(store.ledger.unownedWorker(hash), null, 'its harness lives');
      harness.kill('SIGKILL');
      await new Promise((r) => harness.once('exit', r));
      assert.equal(store.ledger.unownedWorker(hash), 4242);
    } finally {
      harness.kill('SIGKILL');
      store.close();
    }
  });

  it('promotes an accepted attempt’s folder to the output folder and records the promoted paths', async () => {
    const { store, hash, executionId, dir } = await openWithSuite();
    const output = join(dir, 'cell', 'output');
    // an output folder left by an attempt whose result was never recorded is replaced
    attemptOutput(join(dir, 'cell'), 'output', 'left over');
    const stale = claimed(store.ledger.claim(hash, executionId, currentProcess(), 'log'));
    const staleFolder = attemptOutput(dir, 'attempt-stale', '{"f1": 0.1}');
    store.db.prepare("UPDATE cells SET status = 'FAILED' WHERE hash = ?").run(hash);
    const current = claimed(store.ledger.claim(hash, executionId, currentProcess(), 'log'));
    const folder = attemptOutput(dir, 'attempt-current', '{"f1": 0.5}');
    const artifact = (f: string) => [{ name: 'metrics', path: join(f, 'metrics.json') }];

    assert.throws(
      () =>
        store.ledger.finish(
          hash,
          stale.attemptId,
          { metrics: {}, artifacts: artifact(staleFolder) },
          {
            from: staleFolder,
            to: output,
          },
        ),
      /no longer owns/,
    );
    assert.equal(readFileSync(join(output, 'metrics.json'), 'utf8'), 'left over', 'a stale attempt moves nothing');
    assert.ok(existsSync(staleFolder));

    store.ledger.finish(
      hash,
      current.attemptId,
      { metrics: { f1: 0.5 }, artifacts: artifact(folder) },
      {
        from: folder,
        to: output,
      },
    );
    const [recorded] = store.queries.cell(hash)?.artifacts ?? [];
    assert.equal(recorded.path, join(output, 'metrics.json'));
    assert.equal(readFileSync(recorded.path, 'utf8'), '{"f1": 0.5}');
    assert.equal(sha256(recorded.path), recorded.sha256);
    assert.ok(!existsSync(folder), 'the attempt folder became the output folder');
    store.close();
  });
});
