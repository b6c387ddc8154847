import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeMlflowServer } from '@lookright/plugin-trackers/testing';
import type { Cell } from '../expand/cell-types.js';
import { currentProcess } from '../store/process-identity.js';
import { RunStore } from '../store/run-store.js';
import { testMlflowTracker } from '../testing/test-mlflow-tracker.js';
import { TrackingObserver } from './tracking-observer.js';

const labels = { backbone: 'tiny', mask: 'causal', dataset: 'lines', head: 'linear', seed: 1 };
const cell: Cell = { hash: 'cell-1', index: 0, labels, config: {} as Cell['config'] };

describe('TrackingObserver over a real store and the fake MLflow server', () => {
  let server: FakeMlflowServer;
  let dir: string;
  beforeEach(async () => {
    server = await new FakeMlflowServer().start();
    dir = mkdtempSync(join(tmpdir(), 'lookright-observer-'));
  });
  afterEach(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One execution of the one-cell suite whose attempt records `losses` as steps and ends as `outcome` says. */
  async function execution(store: RunStore, suiteId: number, losses: number[], fails: boolean) {
    const executionId = store.beginExecution(suiteId, currentProcess());
    const observer = new TrackingObserver([testMlflowTracker(server.uri)]);
    const info = { store, suiteName: 'suite-o', executionId, cells: [cell] };
    observer.executionStarted(info);
    const claim = store.ledger.claim(cell.hash, executionId, currentProcess(), join(dir, 'cell.log'));
    assert.ok('attemptId' in claim);
    observer.cellStarted(cell, { attemptId: claim.attemptId });
    store.ledger.recordSteps(
      claim.attemptId,
      losses.map((value, i) => ({ step: i + 1, name: 'train.loss', value })),
    );
    if (fails) {
      store.ledger.fail(cell.hash, claim.attemptId, { code: 'TEST_FAULT', message: 'failed on purpose' });
      const outcome = { status: 'FAILED', seconds: 1, code: 'TEST_FAULT', message: 'x', logPath: '' } as const;
      observer.cellEnded(cell, outcome);
    } else {
      store.ledger.finish(cell.hash, claim.attemptId, { metrics: { 'dev.f1': 0.5 }, artifacts: [] });
      observer.cellEnded(cell, { status: 'FINISHED', seconds: 1 });
    }
    const summary = { finished: fails ? 0 : 1, failed: fails ? 1 : 0, skipped: 0, interrupted: false };
    await observer.executionEnded({ ...info, summary });
    store.endExecution(executionId, fails ? 'FAILED' : 'FINISHED');
    return claim.attemptId;
  }

  it('keeps a FAILED attempt and its rerun in the cell’s one run: attempt tags, the failed steps under their own key', async () => {
    const store = RunStore.open(join(dir, 'store'));
    try {
      const suiteId = store.registerSuite({ name: 'suite-o', file: '/x/suite-o.yaml', json: {} }, [cell]);
      const failed = await execution(store, suiteId, [0.9, 0.8], true);
      const finished = await execution(store, suiteId, [0.7, 0.6, 0.5], false);
      assert.equal(store.outbox.pendingCount(), 0);
      const children = [...server.state.runs.values()].filter((r) => r.tags.get('lookright.cell_hash') === 'cell-1');
      assert.equal(children.length, 1);
      const [run] = children;
      assert.equal(run.info.status, 'FINISHED');
      assert.equal(run.tags.get(`lookright.attempt.${failed}`), 'FAILED TEST_FAULT');
      assert.equal(run.tags.get(`lookright.attempt.${finished}`), 'FINISHED');
      const history = (key: string) => run.metrics.filter((m) => m.key === key).map((m) => m.value);
      assert.deepEqual(history('train.loss'), [0.7, 0.6, 0.5]);
      assert.deepEqual(history(`attempt-${failed}/train.loss`), [0.9, 0.8]);
    } finally {
      store.close();
    }
  });
});
