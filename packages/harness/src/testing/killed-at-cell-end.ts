import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RunStore } from '../store/run-store.js';
import { startTestHarness } from './test-processes.js';
import { writeTestSuite } from './test-suite.js';

/**
 * Runs a one-worker test suite of `masks` (seed 1) in a harness process tracked in `mlflow` that kills itself
 * (SIGKILL) between its first cell's FINISHED in the store and its tracker hearing of it; checks that it did.
 * Returns the suite file, the store folder and the FINISHED cell's hash.
 */
export async function harnessKilledAtCellEnd(masks: string[], mlflow: { uri: string }) {
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
