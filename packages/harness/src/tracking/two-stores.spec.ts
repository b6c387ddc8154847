import assert from 'node:assert/strict';
import { join } from 'node:path';
import { connectionFromEnv, MlflowClient, MlflowTracker, mlflowTags } from '@lookright/plugin-trackers';
import { FakeMlflowServer } from '@lookright/plugin-trackers/testing';
import { RunStore } from '../store/run-store.js';
import { writeTestSuite } from '../testing/test-suite.js';
import { runTestSuite } from '../testing/test-suite-in-process.js';
import { drainOutbox } from './drain-outbox.js';
import { TrackingObserver } from './tracking-observer.js';

describe('MLflow runs of one suite from two stores', () => {
  it('gives each store its own parent and cell runs, no duplicated metric points, and a re-sync adds no run', async () => {
    const server = await new FakeMlflowServer().start();
    const tracker = () =>
      new MlflowTracker(new MlflowClient(connectionFromEnv({ MLFLOW_TRACKING_URI: server.uri }), 5000));
    const { dir, file } = writeTestSuite({ seeds: [1], masks: ['mask:causal'], name: 'shared-suite' });
    const storeDirs = [join(dir, 'store-a'), join(dir, 'store-b')];
    try {
      for (const storeDir of storeDirs) {
        const result = await runTestSuite(file, storeDir, {
          workers: 1,
          env: process.env,
          observers: [new TrackingObserver([tracker()])],
        });
        assert.equal(result.summary.finished, 1);
      }
      const runs = () => [...server.state.runs.values()];
      const parents = runs().filter((r) => r.tags.has(mlflowTags.execution));
      assert.equal(parents.length, 2, 'one parent run per store, although both are execution 1 of the suite');
      const storeIds = storeDirs.map((d) => {
        const store = RunStore.open(d);
        store.close();
        return store.id;
      });
      assert.deepEqual(parents.map((p) => p.tags.get(mlflowTags.store)).sort(), [...storeIds].sort());
      const cells = runs().filter((r) => r.tags.has(mlflowTags.cellHash));
      assert.equal(cells.length, 2, 'one cell run per store');
      for (const cell of cells) {
        const losses = cell.metrics.filter((m) => m.key === 'train.loss');
        assert.ok(losses.length > 0, 'per-step metrics arrived');
        assert.equal(new Set(losses.map((m) => m.step)).size, losses.length, 'no step logged twice');
      }

      // Re-sync each store as if every run-creating event had never been marked sent: no run is added.
      for (const storeDir of storeDirs) {
        const store = RunStore.open(storeDir);
        try {
          store.db.prepare("UPDATE mlflow_outbox SET sent_at = NULL WHERE kind <> 'cell.metrics'").run();
          const sync = await drainOutbox(store.outbox, [tracker()]);
          assert.ok(sync.sent > 0);
          assert.equal(sync.pending, 0);
        } finally {
          store.close();
        }
      }
      assert.equal(runs().length, 4, 'still two parent and two cell runs');
    } finally {
      await server.stop();
    }
  });
});
