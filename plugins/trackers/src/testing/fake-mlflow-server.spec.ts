import assert from 'node:assert/strict';
import { fixturePath } from '@lookright/test-support/fixtures';
import { FakeMlflowServer } from './fake-mlflow-server.js';
import { readTranscript } from './transcript.js';

/** Replays the recorded requests against the fake and checks it answers as the real server did. */
describe('fake MLflow server against the recorded 2.12.2 transcript', () => {
  it('answers every verbatim-recorded request of the sqlite section with the same status and error_code', async function () {
    const file = fixturePath(this, 'mlflow', 'transcript-2.12.2.md');
    const exchanges = readTranscript(file, 0);
    assert.ok(exchanges.length > 30, `only ${exchanges.length} exchanges parsed`);
    const server = await new FakeMlflowServer().start();
    const ids = new Map<string, string>();
    const mapIds = (text: string) => text.replace(/[0-9a-f]{32}/g, (id) => ids.get(id) ?? id);
    try {
      for (const exchange of exchanges) {
        if (exchange.path.startsWith('/get-artifact')) continue;
        const response = await fetch(`${server.uri}${mapIds(exchange.path)}`, {
          method: exchange.method,
          headers: exchange.body !== undefined ? { 'content-type': exchange.contentType ?? 'application/json' } : {},
          body: exchange.body !== undefined ? mapIds(exchange.body) : undefined,
        });
        const text = await response.text();
        assert.equal(response.status, exchange.status, `${exchange.title}: ${text}`);
        const expectedCode = /"error_code": "(\w+)"/.exec(exchange.response)?.[1];
        if (expectedCode) assert.equal(JSON.parse(text).error_code, expectedCode, exchange.title);
        const recordedRun = /"run_id": "([0-9a-f]{32})"/.exec(exchange.response)?.[1];
        if (exchange.path.endsWith('runs/create') && recordedRun)
          ids.set(recordedRun, JSON.parse(text).run.info.run_id);
      }
    } finally {
      await server.stop();
    }
  });

  it('stores artifacts byte for byte and lists and serves them as the transcript records', async function () {
    const file = fixturePath(this, 'mlflow', 'transcript-2.12.2.md');
    const recorded = new Map(readTranscript(file, 0).map((e) => [e.title, e]));
    const server = await new FakeMlflowServer().start();
    try {
      const post = async <T>(path: string, body: object) =>
        (await fetch(`${server.uri}/api/2.0/mlflow/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).then((r) => r.json())) as T;
      const { experiment_id } = await post<{ experiment_id: string }>('experiments/create', { name: 'demo-exp' });
      type Created = { run: { info: { run_id: string } } };
      const runId = (await post<Created>('runs/create', { experiment_id, start_time: 1 })).run.info.run_id;
      const recordedRun = 'f0653388ec29430faae959edb35c1b68';
      const base = `${server.uri}/api/2.0/mlflow-artifacts/artifacts/${experiment_id}/${runId}/artifacts`;
      // the transcript's two uploads (bodies as it states them), and a binary file
      for (const [path, body] of [
        ['model/notes.txt', 'hello artifact\nline 2\n'],
        ['metrics.json', '{"k": 1}'],
      ]) {
        const put = await fetch(`${base}/${path}`, { method: 'PUT', body });
        assert.equal(put.status, 200);
        assert.deepEqual(await put.json(), {});
      }
      const binary = Buffer.from([0, 255, 128, 10, 13, 0]);
      await fetch(`${base}/model/weights.bin`, { method: 'PUT', body: binary });
      assert.deepEqual(Buffer.from(await (await fetch(`${base}/model/weights.bin`)).arrayBuffer()), binary);
      for (const title of [
        'artifacts/list (run root)',
        'artifacts/list (path=model)',
        'mlflow-artifacts list (artifact-proxy listing)',
        'mlflow-artifacts download (GET)',
      ]) {
        const exchange = recorded.get(title);
        assert.ok(exchange, title);
        const response = await fetch(`${server.uri}${exchange.path.replaceAll(recordedRun, runId)}`);
        assert.equal(response.status, exchange.status, title);
        assert.equal(response.headers.get('content-type'), exchange.responseType, title);
        const text = await response.text();
        if (exchange.responseType === 'application/json') {
          const expected = JSON.parse(exchange.response.replaceAll(recordedRun, runId)) as {
            files: { path: string }[];
          };
          const answer = JSON.parse(text) as typeof expected;
          // the binary file is this test's own; the rest must be as recorded
          answer.files = answer.files.filter((f) => !f.path.endsWith('weights.bin'));
          assert.deepEqual(answer, expected, title);
        } else assert.equal(text, `${exchange.response}\n`, title);
      }
    } finally {
      await server.stop();
    }
  });

  it('enforces the batch limits the transcript records', async () => {
    const server = await new FakeMlflowServer().start();
    try {
      const post = (path: string, body: object) =>
        fetch(`${server.uri}/api/2.0/mlflow/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const experiment = (await (await post('experiments/create', { name: 'limits' })).json()) as {
        experiment_id: string;
      };
      const run = (await (
        await post('runs/create', { experiment_id: experiment.experiment_id, start_time: 1 })
      ).json()) as { run: { info: { run_id: string } } };
      const runId = run.run.info.run_id;
      const metrics = (n: number) =>
        Array.from({ length: n }, (_, i) => ({ key: `m${i}`, value: i, timestamp: 1, step: 0 }));
      const params = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `p${i}`, value: 'v' }));
      assert.equal((await post('runs/log-batch', { run_id: runId, metrics: metrics(1001) })).status, 400);
      assert.equal((await post('runs/log-batch', { run_id: runId, params: params(101) })).status, 400);
      assert.equal(
        (
          await post('runs/log-batch', {
            run_id: runId,
            metrics: metrics(900),
            params: params(100),
            tags: [{ key: 't', value: 'v' }],
          })
        ).status,
        400,
      );
      assert.equal((await post('runs/log-batch', { run_id: runId, metrics: metrics(1000) })).status, 200);
    } finally {
      await server.stop();
    }
  });
});
