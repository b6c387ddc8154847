import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectionFromEnv, MlflowClient, MlflowTracker } from '@lookright/plugin-trackers';
import { currentProcess } from '../store/process-identity.js';
import { RunStore } from '../store/run-store.js';
import { testCells } from '../testing/test-suite.js';
import { TrackingObserver } from './tracking-observer.js';

/** A real HTTP server on 127.0.0.1 that accepts every connection and request and never answers. */
async function hangingServer() {
  const sockets = new Set<Socket>();
  let requests = 0;
  const server = createServer(() => {
    requests++;
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((closed) => server.close(() => closed()));
    },
  };
}

describe('a run tracked to an MLflow server that never answers', () => {
  it('waits for it no longer than its end budget, keeps every event queued and says so in one line', async () => {
    const server = await hangingServer();
    const requestTimeoutMs = 60_000;
    const endWaitMs = 500;
    const { dir, file, cells } = await testCells();
    const store = RunStore.open(join(dir, 'store'));
    const lines: string[] = [];
    const tracker = new MlflowTracker(
      new MlflowClient(connectionFromEnv({ MLFLOW_TRACKING_URI: server.uri }), requestTimeoutMs),
    );
    const observer = new TrackingObserver([tracker], (line) => lines.push(line), { endWaitMs });
    try {
      const suiteId = store.registerSuite({ name: 'hanging', file, json: {} }, cells);
      const info = { store, suiteName: 'hanging', executionId: store.beginExecution(suiteId, currentProcess()), cells };
      observer.executionStarted(info);
      for (const cell of cells) {
        observer.cellStarted(cell);
        observer.cellEnded(cell, { status: 'FAILED', seconds: 1, code: 'X', message: 'stand-in', logPath: 'log' });
      }
      const summary = { finished: 0, failed: cells.length, skipped: 0, interrupted: false };
      const queued = store.outbox.pendingCount();
      const started = performance.now();
      await observer.executionEnded({ ...info, summary });
      const waitedMs = performance.now() - started;
      assert.ok(
        waitedMs < requestTimeoutMs / 2,
        `the end of the run waited ${Math.round(waitedMs)} ms: it must be bounded by endWaitMs (${endWaitMs} ms), not by request timeouts (${requestTimeoutMs} ms each)`,
      );
      assert.ok(server.requests() >= 1, 'the tracker did try the server');
      assert.equal(store.outbox.pendingCount(), queued + 1, 'every event, execution.end too, stays queued');
      assert.deepEqual(lines, [
        `tracking: ${queued + 1} event(s) still queued (the tracker did not finish within 0.5 s); run \`lookright mlflow sync\` later`,
      ]);
    } finally {
      store.close();
      await server.close();
    }
  });
});
