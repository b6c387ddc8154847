import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrackingEvent } from '@lookright/core';
import { connectionFromEnv, MlflowClient, MlflowTracker } from '@lookright/plugin-trackers';
import { FakeMlflowServer } from '@lookright/plugin-trackers/testing';
import { RunStore } from '../store/run-store.js';
import { drainOutbox, enqueueTrackingEvent } from './drain-outbox.js';

const base = { suiteName: 'outage-suite', storeId: 'store-outage', executionId: 7 };
const cellEvents = (hash: string): TrackingEvent[] => [
  { type: 'cell.start', ...base, cellHash: hash, cellName: hash, startedAt: 1, params: { lr: '0.0002' }, tags: {} },
  { type: 'cell.metrics', ...base, cellHash: hash, metrics: [{ key: 'dev.f1', value: 0.5, step: 1, timestamp: 2 }] },
  { type: 'cell.end', ...base, cellHash: hash, status: 'FINISHED', endedAt: 3 },
];

describe('MLflow outbox drain', () => {
  it('queues events while the server is down and replays them once, without duplicate runs', async () => {
    const server = await new FakeMlflowServer().start();
    const store = RunStore.open(mkdtempSync(join(tmpdir(), 'lookright-outbox-')));
    const tracker = () =>
      new MlflowTracker(new MlflowClient(connectionFromEnv({ MLFLOW_TRACKING_URI: server.uri }), 1000));
    try {
      enqueueTrackingEvent(store.outbox, { type: 'execution.start', ...base, startedAt: 0, tags: {} });
      for (const e of cellEvents('cell-a')) enqueueTrackingEvent(store.outbox, e);
      const first = await drainOutbox(store.outbox, [tracker()]);
      assert.deepEqual([first.sent, first.pending, first.unreachable], [4, 0, false]);

      await server.stop();
      for (const e of cellEvents('cell-b')) enqueueTrackingEvent(store.outbox, e);
      const during = await drainOutbox(store.outbox, [tracker()]);
      assert.deepEqual([during.sent, during.pending, during.unreachable], [0, 3, true]);

      await server.start();
      const after = await drainOutbox(store.outbox, [tracker()]);
      assert.deepEqual([after.sent, after.pending], [3, 0]);
      assert.equal((await drainOutbox(store.outbox, [tracker()])).sent, 0);
      const runs = [...server.state.runs.values()];
      assert.equal(runs.length, 3);
      assert.equal(runs.filter((r) => r.info.status === 'FINISHED').length, 2);
    } finally {
      store.close();
      await server.stop();
    }
  });
});
