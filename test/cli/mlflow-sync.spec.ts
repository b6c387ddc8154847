import assert from 'node:assert/strict';
import { harnessKilledAtCellEnd } from '../../packages/harness/src/testing/killed-at-cell-end.js';
import { FakeMlflowServer } from '../../plugins/trackers/src/testing/fake-mlflow-server.js';
import { runCliAsync } from '../support/run-cli.js';

describe('lookright mlflow sync after a harness was killed', function () {
  this.timeout(120_000);

  it('ends the FINISHED cell’s run and marks the killed execution’s run KILLED; a second sync changes nothing', async () => {
    const mlflow = await new FakeMlflowServer().start();
    try {
      const { storeDir, hash } = await harnessKilledAtCellEnd(['mask:causal'], mlflow);
      const env = { MLFLOW_TRACKING_URI: mlflow.uri };
      const first = await runCliAsync(['mlflow', 'sync', '--store', storeDir], { env });
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stdout, /closing 1 cell run\(s\) and 1 execution run\(s\) a stopped harness left open/);
      const runs = [...mlflow.state.runs.values()];
      const cell = runs.filter((run) => run.tags.get('lookright.cell_hash') === hash);
      assert.deepEqual(
        cell.map((run) => run.info.status),
        ['FINISHED'],
      );
      assert.deepEqual(
        runs.filter((run) => run.tags.has('lookright.execution')).map((run) => run.info.status),
        ['KILLED'],
      );
      const second = await runCliAsync(['mlflow', 'sync', '--store', storeDir], { env });
      assert.equal(second.status, 0, second.stderr);
      assert.doesNotMatch(second.stdout, /closing/);
      assert.match(second.stdout, /sent 0 event\(s\); 0 still queued/);
    } finally {
      await mlflow.stop();
    }
  });
});
