import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LookrightError, type TrackingEvent } from '@lookright/core';
import { FakeMlflowServer } from '../testing/fake-mlflow-server.js';
import { MlflowClient } from './client.js';
import { connectionFromEnv } from './connection.js';
import { MlflowTracker, mlflowTags } from './mlflow-tracker.js';

const base = { suiteName: 'suite-a', storeId: 'store-a', executionId: 1 };
const cell = { ...base, cellHash: 'abc123' };
const events = (artifact: string): TrackingEvent[] => [
  { type: 'execution.start', ...base, startedAt: 1000, tags: { 'lookright.version': '0.1.0' } },
  {
    type: 'cell.start',
    ...cell,
    cellName: 'llama/mask:causal/conll/1',
    startedAt: 1001,
    params: {
      'recipe.lr': '0.0002',
      long: 'x'.repeat(13000),
      ...Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}`, String(i)])),
    },
    tags: { 'lookright.mask': '0000', 'lookright.audit': 'ok' },
  },
  {
    type: 'cell.metrics',
    ...cell,
    metrics: Array.from({ length: 1500 }, (_, i) => ({
      key: 'loss',
      value: 1 / (i + 1),
      step: i,
      timestamp: 2000 + i,
    })),
  },
  { type: 'cell.artifact', ...cell, localPath: artifact, artifactPath: 'predictions/test.conll' },
  { type: 'cell.end', ...cell, status: 'FINISHED', endedAt: 3000 },
  { type: 'execution.end', ...base, status: 'FINISHED', endedAt: 3001 },
];

function tracker(server: FakeMlflowServer, env: Record<string, string> = {}) {
  return new MlflowTracker(new MlflowClient(connectionFromEnv({ MLFLOW_TRACKING_URI: server.uri, ...env }), 2000));
}

describe('tracker:mlflow against the fake MLflow server', () => {
  let server: FakeMlflowServer;
  let artifact: string;
  beforeEach(async () => {
    server = await new FakeMlflowServer().start();
    artifact = join(mkdtempSync(join(tmpdir(), 'lookright-mlflow-')), 'test.conll');
    writeFileSync(artifact, 'EU B-ORG B-ORG\n');
  });
  afterEach(() => server.stop());

  it('creates one experiment, a parent run and a child run, chunking params and metrics to the limits', async () => {
    const t = tracker(server);
    for (const event of events(artifact)) await t.deliver(event);
    const runs = [...server.state.runs.values()];
    assert.equal(runs.length, 2);
    const child = runs.find((r) => r.tags.get(mlflowTags.cellHash) === 'abc123');
    const parent = runs.find((r) => r.tags.has(mlflowTags.execution));
    assert.ok(child && parent);
    assert.equal(child.tags.get(mlflowTags.parentRunId), parent.info.run_id);
    assert.equal(child.metrics.length, 1500);
    assert.equal(child.params.get('long')?.length, 6000);
    assert.equal(child.params.get('long.part3')?.length, 1000);
    assert.equal(child.params.get('p149'), '149');
    assert.equal(child.info.status, 'FINISHED');
    assert.equal(parent.info.status, 'FINISHED');
    assert.equal(child.artifacts.get('predictions/test.conll')?.toString(), 'EU B-ORG B-ORG\n');
    assert.ok((server.requests.get('POST /api/2.0/mlflow/runs/log-batch') ?? 0) >= 4);
  });

  it('never creates a duplicate run when events are delivered again by a fresh process', async () => {
    for (const event of events(artifact)) await tracker(server).deliver(event);
    for (const event of events(artifact)) await tracker(server).deliver(event);
    assert.equal(server.state.runs.size, 2);
    assert.equal(server.state.experiments.size, 2);
  });

  it('keeps one child run per cell across executions: a killed and a FAILED attempt are reused, not left behind', async () => {
    const inExecution = (executionId: number) =>
      events(artifact).map((event) => ({ ...event, executionId }) as TrackingEvent);
    const [start1, cellStart1] = inExecution(1);
    // execution 1: its harness is killed mid-cell (the cell's run stays RUNNING)
    await tracker(server).deliver(start1);
    await tracker(server).deliver(cellStart1);
    // execution 2: the attempt fails
    const two = inExecution(2);
    const t2 = tracker(server);
    for (const event of [two[0], two[1], { ...two[4], status: 'FAILED' } as TrackingEvent]) await t2.deliver(event);
    // execution 3: a fresh harness finishes the cell
    for (const event of inExecution(3)) await tracker(server).deliver(event);
    const runs = [...server.state.runs.values()];
    const children = runs.filter((r) => r.tags.get(mlflowTags.cellHash) === 'abc123');
    assert.equal(children.length, 1, 'one child run for the cell');
    assert.equal(children[0].info.status, 'FINISHED');
    const parents = runs.filter((r) => r.tags.has(mlflowTags.execution));
    assert.equal(parents.length, 3, 'one parent run per execution');
    const third = parents.find((p) => p.tags.get(mlflowTags.execution) === 'suite-a#3');
    assert.equal(children[0].tags.get(mlflowTags.parentRunId), third?.info.run_id, 'under the latest execution');
    assert.equal(children[0].metrics.length, 1500, 'metrics of the finishing attempt only');
  });

  it('does not create a second child run when a second process delivers the same cell.start', async () => {
    const [start, cellStart] = events(artifact);
    const a = tracker(server);
    await a.deliver(start);
    await a.deliver(cellStart);
    // a fresh process (its cache empty) replays the start: the run is found by its tags
    const b = tracker(server);
    await b.deliver(cellStart);
    await b.deliver({ ...cellStart, executionId: 2 } as TrackingEvent);
    assert.equal([...server.state.runs.values()].filter((r) => r.tags.has(mlflowTags.cellHash)).length, 1);
  });

  it('keeps the runs of two stores apart, though they log the same suite and execution id', async () => {
    const fromStore = (storeId: string) => events(artifact).map((event) => ({ ...event, storeId }) as TrackingEvent);
    for (const event of fromStore('store-a')) await tracker(server).deliver(event);
    for (const event of fromStore('store-b')) await tracker(server).deliver(event);
    const runs = [...server.state.runs.values()];
    const parents = runs.filter((r) => r.tags.has(mlflowTags.execution));
    assert.deepEqual(parents.map((r) => r.tags.get(mlflowTags.store)).sort(), ['store-a', 'store-b']);
    const children = runs.filter((r) => r.tags.get(mlflowTags.cellHash) === 'abc123');
    assert.equal(children.length, 2);
    for (const child of children) {
      assert.equal(child.metrics.length, 1500, "each store's points once");
      const parent = parents.find((p) => p.info.run_id === child.tags.get(mlflowTags.parentRunId));
      assert.equal(parent?.tags.get(mlflowTags.store), child.tags.get(mlflowTags.store));
    }
  });

  it('refuses a non-numeric metric value before sending it (the server would store 0)', async () => {
    const t = tracker(server);
    await t.deliver(events(artifact)[0]);
    await t.deliver(events(artifact)[1]);
    const bad = {
      type: 'cell.metrics',
      ...cell,
      metrics: [{ key: 'f1', value: 'high' as unknown as number, step: 0, timestamp: 1 }],
    } as TrackingEvent;
    await assert.rejects(t.deliver(bad), (e: LookrightError) => e.code === 'MLFLOW_INVALID_METRIC');
    const nan = {
      type: 'cell.metrics',
      ...cell,
      metrics: [{ key: 'f1', value: Number.NaN, step: 0, timestamp: 1 }],
    } as TrackingEvent;
    await t.deliver(nan);
    const child = [...server.state.runs.values()].find((r) => r.tags.get(mlflowTags.cellHash) === 'abc123');
    assert.ok(Number.isNaN(child?.metrics.at(-1)?.value));
  });

  it('reports an outage as TRACKER_UNREACHABLE and works again when the server is back', async () => {
    const t = tracker(server);
    await t.deliver(events(artifact)[0]);
    await server.stop();
    await assert.rejects(t.deliver(events(artifact)[1]), (e: LookrightError) => e.code === 'TRACKER_UNREACHABLE');
    await server.start();
    await t.deliver(events(artifact)[1]);
    assert.equal(server.state.runs.size, 2);
  });

  it('sends credentials only in the Authorization header, never in errors', async () => {
    const secret = 's3cr3t-token-value';
    const t = tracker(server, { MLFLOW_TRACKING_TOKEN: secret });
    await t.deliver(events(artifact)[0]);
    assert.ok(server.authorizations.every((h) => h === `Bearer ${secret}`));
    await server.stop();
    const error = await t.deliver(events(artifact)[1]).catch((e: Error) => e);
    assert.ok(error instanceof LookrightError);
    assert.doesNotMatch(`${error.message} ${error.hint}`, new RegExp(secret));
    const withPassword = connectionFromEnv({ MLFLOW_TRACKING_URI: 'http://alice:pw123@127.0.0.1:1' });
    assert.equal(withPassword.baseUrl, 'http://127.0.0.1:1');
    assert.equal(withPassword.headers.authorization, `Basic ${Buffer.from('alice:pw123').toString('base64')}`);
  });
});
