import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FakeMlflowServer } from '@lookright/plugin-trackers/testing';
import { runSuite } from '../run/run-suite.js';
import { currentProcess } from '../store/process-identity.js';
import { RunStore } from '../store/run-store.js';
import { cpuRunnerRef } from '../testing/cpu-cell-runner.js';
import { testMlflowTracker } from '../testing/test-mlflow-tracker.js';
import { startTestHarness } from '../testing/test-processes.js';
import { testRegistry } from '../testing/test-registry.js';
import { testCells, writeTestSuite } from '../testing/test-suite.js';
import { queueEndsOfAbandonedRuns } from './close-abandoned-runs.js';
import { TrackingObserver } from './tracking-observer.js';

/** The harness killed (SIGKILL) between a cell's FINISHED in the store and its tracker hearing of it. */
async function harnessKilledAtCellEnd(masks: string[], mlflow: FakeMlflowServer) {
  const { file, dir } = writeTestSuite({ seeds: [1], masks });
  const storeDir = join(dir, 'runs');
  const env = { LOOKRIGHT_TEST_KILL_AT_CELL_END: '1', LOOKRIGHT_TEST_MLFLOW_URI: mlflow.uri };
  const harness = startTestHarness(file, storeDir, { workers: 1, env });
  assert.equal(await harness.exit, null, `the harness should die by SIGKILL:\n${harness.output()}`);
  const store = RunStore.open(storeDir);
  try {
    const finished = store.queries.suiteCells('test-suite').filter((c) => c.status === 'FINISHED');
    assert.equal(finished.length, 1, 'the cell it was told about is FINISHED in the store');
    assert.deepEqual(
      store.outbox.startsWithoutEnd().map((s) => s.cellHash),
      [finished[0].hash],
      "the cell's run was started and never ended",
    );
    return { file, storeDir, hash: finished[0].hash };
  } finally {
    store.close();
  }
}

/** `lookright run` again, in process, tracked in `mlflow`. */
function runAgain(file: string, storeDir: string, mlflow: FakeMlflowServer, lines: string[]) {
  return runSuite({
    suiteFile: file,
    storeDir,
    workers: 1,
    registry: testRegistry(),
    runner: cpuRunnerRef,
    env: {},
    print: (line) => lines.push(line),
    observers: [new TrackingObserver([testMlflowTracker(mlflow.uri)], (line) => lines.push(line))],
  });
}

function cellRuns(mlflow: FakeMlflowServer, hash: string) {
  return [...mlflow.state.runs.values()].filter((run) => run.tags.get('lookright.cell_hash') === hash);
}

describe('closing the tracked runs a killed harness left open', function () {
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
      lines.some((l) => /closing 1 tracked run\(s\)/.test(l)),
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
    const store = RunStore.open(storeDir);
    try {
      assert.deepEqual(store.outbox.startsWithoutEnd(), []);
      assert.deepEqual(queueEndsOfAbandonedRuns(store), [], 'closing twice queues nothing more');
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
    } finally {
      store.close();
    }
  });
});
