import assert from 'node:assert/strict';
import { join } from 'node:path';
import { connectionFromEnv, MlflowClient, MlflowTracker } from '@lookright/plugin-trackers';
import { FakeMlflowServer } from '@lookright/plugin-trackers/testing';
import { RunStore } from '../store/run-store.js';
import { writeTestSuite } from '../testing/test-suite.js';
import { runTestSuite } from '../testing/test-suite-in-process.js';
import { drainOutbox } from './drain-outbox.js';
import { TrackingObserver } from './tracking-observer.js';

describe('MLflow tracking through a real suite run', () => {
  it('keeps training when the server dies mid-run, queues the events, and a sync delivers them without duplicates', async () => {
    const server = await new FakeMlflowServer().start();
    const tracker = () =>
      new MlflowTracker(new MlflowClient(connectionFromEnv({ MLFLOW_TRACKING_URI: server.uri }), 500));
    const { dir, file } = writeTestSuite({ seeds: [1, 2], masks: ['mask:causal', '"01"'], name: 'outage' });
    const storeDir = join(dir, 'store');
    let ended = 0;
    const outage = {
      cellEnded: () => {
        ended++;
        if (ended === 1) void server.stop();
      },
    };
    try {
      const result = await runTestSuite(file, storeDir, {
        workers: 1,
        env: { LOOKRIGHT_TEST_STEP_MS: '5' },
        observers: [new TrackingObserver([tracker()]), outage],
      });
      assert.equal(result.summary.finished, 4, 'training went on through the outage');
      const store = RunStore.open(storeDir);
      try {
        assert.ok(store.outbox.pendingCount() > 0, 'events queued while the server was down');
        await server.start();
        const sync = await drainOutbox(store.outbox, [tracker()]);
        assert.equal(sync.pending, 0);
        assert.equal((await drainOutbox(store.outbox, [tracker()])).sent, 0, 'a second sync sends nothing');
      } finally {
        store.close();
      }
      const runs = [...server.state.runs.values()];
      const cells = runs.filter((r) => r.tags.has('lookright.cell_hash'));
      assert.equal(cells.length, 4, 'one child run per cell, none duplicated');
      assert.equal(runs.length, 5, 'plus one parent run for the execution');
      for (const run of cells) {
        assert.equal(run.info.status, 'FINISHED');
        assert.ok(
          run.metrics.some((m) => m.key === 'train.loss'),
          'per-step metrics arrived',
        );
        assert.equal(run.tags.get('lookright.mask_audit'), 'ok');
        assert.ok(run.artifacts.has('resolved-config.yaml'));
        assert.ok(run.params.size > 10, 'the flattened resolved config is logged as params');
      }
    } finally {
      await server.stop();
    }
  });
});
