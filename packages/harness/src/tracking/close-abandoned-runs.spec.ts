import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FakeMlflowServer } from '@lookright/plugin-trackers/testing';
import { currentProcess } from '../store/process-identity.js';
import { RunStore } from '../store/run-store.js';
import { harnessKilledAtCellEnd } from '../testing/killed-at-cell-end.js';
import { testMlflowTracker } from '../testing/test-mlflow-tracker.js';
import { testCells } from '../testing/test-suite.js';
import { runTestSuite } from '../testing/test-suite-in-process.js';
import { queueEndsOfAbandonedExecutions, queueEndsOfAbandonedRuns } from './close-abandoned-runs.js';
import { TrackingObserver } from './tracking-observer.js';

/** `lookright run` again, in process, tracked in `mlflow`. */
function runAgain(file: string, storeDir: string, mlflow: FakeMlflowServer, lines: string[]) {
  return runTestSuite(file, storeDir, {
    workers: 1,
    print: (line) => lines.push(line),
    observers: [new TrackingObserver([testMlflowTracker(mlflow.uri)], (line) => lines.push(line))],
  });
}

/** Each execution's parent run status, by `<suite>#<execution id>`. */
function executionRuns(mlflow: FakeMlflowServer) {
  return Object.fromEntries(
    [...mlflow.state.runs.values()]
      .filter((run) => run.tags.has('lookright.execution'))
      .map((run) => [run.tags.get('lookright.execution'), run.info.status]),
  );
}

function cellRuns(mlflow: FakeMlflowServer, hash: string) {
  return [...mlflow.state.runs.values()].filter((run) => run.tags.get('lookright.cell_hash') === hash);
}

describe('closing the tracked runs (cells and executions) a killed harness left open', function () {
  this.timeout(120_000);
  let mlflow: FakeMlflowServer;
  beforeEach(async () => {
    mlflow = await new FakeMlflowServer().start();
  });
  afterEach(() => mlflow.stop());

  it('a rerun with nothing left to run still ends the FINISHED cell’s run, with its metrics and outcome', async () => {
    const { file, storeDir, hash } = await harnessKilledAtCellEnd(['mask:causal'], mlflow);
    const lines: string[] = [];
    const rerun = await runAgain(file, storeDir, mlflow, lines);
    assert.equal(rerun.alreadyFinished, 1);
    assert.ok(
      lines.some((l) => /closing 1 cell run\(s\) and 1 execution run\(s\)/.test(l)),
      lines.join('\n'),
    );
    const runs = cellRuns(mlflow, hash);
    assert.equal(runs.length, 1, 'one run for the cell');
    assert.equal(runs[0].info.status, 'FINISHED');
    assert.ok(
      runs[0].metrics.some((m) => m.key === 'dev.f1'),
      'final metrics logged',
    );
    assert.equal(runs[0].tags.get('lookright.mask_audit'), 'ok');
    assert.ok([...runs[0].tags.values()].includes('FINISHED'), 'the finishing attempt is tagged FINISHED');
    assert.deepEqual(executionRuns(mlflow), { 'test-suite#1': 'KILLED' }, "the killed execution's run is ended");
    const store = RunStore.open(storeDir);
    try {
      assert.deepEqual(store.outbox.startsWithoutEnd(), []);
      assert.deepEqual(queueEndsOfAbandonedRuns(store), [], 'closing twice queues nothing more');
      assert.deepEqual(queueEndsOfAbandonedExecutions(store), []);
    } finally {
      store.close();
    }
  });

  it('a rerun that runs the other cells closes the killed harness’s run too, once', async () => {
    const { file, storeDir, hash } = await harnessKilledAtCellEnd(['mask:causal', '"01"'], mlflow);
    const lines: string[] = [];
    const rerun = await runAgain(file, storeDir, mlflow, lines);
    assert.equal(rerun.summary.finished, 1, 'the cell the killed harness never reached runs now');
    const childRuns = [...mlflow.state.runs.values()].filter((run) => run.tags.has('lookright.cell_hash'));
    assert.equal(childRuns.length, 2);
    for (const run of childRuns) assert.equal(run.info.status, 'FINISHED');
    assert.equal(cellRuns(mlflow, hash).length, 1);
    assert.deepEqual(executionRuns(mlflow), { 'test-suite#1': 'KILLED', 'test-suite#2': 'FINISHED' });
  });

  it('leaves alone a cell whose harness is alive (it queues the end itself)', async () => {
    const { dir, cells } = await testCells({ seeds: [1], masks: ['mask:causal'] });
    const store = RunStore.open(join(dir, 'runs'));
    try {
      const cell = cells[0];
      const suiteId = store.registerSuite({ name: 'test-suite', file: join(dir, 'suite.yaml'), json: {} }, [cell]);
      const executionId = store.beginExecution(suiteId, currentProcess());
      const observer = new TrackingObserver([]);
      observer.executionStarted({ store, suiteName: 'test-suite', executionId, cells: [cell] });
      const claim = store.ledger.claim(cell.hash, executionId, currentProcess(), join(dir, 'cell.log'));
      assert.ok('attemptId' in claim);
      observer.cellStarted(cell, { attemptId: claim.attemptId });
      store.ledger.finish(cell.hash, claim.attemptId, { metrics: { 'dev.f1': 1 }, artifacts: [] });
      assert.equal(store.outbox.startsWithoutEnd().length, 1);
      assert.deepEqual(queueEndsOfAbandonedRuns(store), [], 'this process owns the attempt and is alive');
      assert.deepEqual(queueEndsOfAbandonedExecutions(store), [], 'and the execution');
    } finally {
      store.close();
    }
  });

  it('closes an execution whose process id now names another process (the start time differs)', async () => {
    const { dir, cells } = await testCells({ seeds: [1], masks: ['mask:causal'] });
    const store = RunStore.open(join(dir, 'runs'));
    try {
      const cell = cells[0];
      const suiteId = store.registerSuite({ name: 'test-suite', file: join(dir, 'suite.yaml'), json: {} }, [cell]);
      // this test's own pid, running, but recorded with another start time: the harness that had it is gone
      const gone = { ...currentProcess(), start: 'another start time' };
      const executionId = store.beginExecution(suiteId, gone);
      new TrackingObserver([]).executionStarted({ store, suiteName: 'test-suite', executionId, cells: [cell] });
      const claim = store.ledger.claim(cell.hash, executionId, gone, join(dir, 'cell.log'));
      assert.ok('attemptId' in claim);
      assert.deepEqual(queueEndsOfAbandonedExecutions(store), [executionId]);
      assert.deepEqual(queueEndsOfAbandonedExecutions(store), [], 'once');
    } finally {
      store.close();
    }
  });

  it('closes an execution that claimed no cell once its pid names another process, and keeps a live one open', async () => {
    const { dir, cells } = await testCells({ seeds: [1], masks: ['mask:causal'] });
    const store = RunStore.open(join(dir, 'runs'));
    try {
      const suiteId = store.registerSuite({ name: 'test-suite', file: join(dir, 'suite.yaml'), json: {} }, cells);
      const alive = store.beginExecution(suiteId, currentProcess());
      const gone = store.beginExecution(suiteId, { ...currentProcess(), start: 'another start time' });
      for (const executionId of [alive, gone]) {
        new TrackingObserver([]).executionStarted({ store, suiteName: 'test-suite', executionId, cells });
      }
      assert.equal(store.queries.executionOwner(gone)?.start, 'another start time', 'the start time is stored');
      assert.deepEqual(queueEndsOfAbandonedExecutions(store), [gone], 'no attempt is needed to tell them apart');
    } finally {
      store.close();
    }
  });
});
