import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestCertificates, useTestRedis } from '../../testing/redis-server.js';
import { startTestHarness, startTestWorker, storeView, type TestProcess } from '../../testing/test-processes.js';
import { writeTestSuite } from '../../testing/test-suite.js';
import { checkReachable, redisTarget } from './redis-connection.js';

/** The files under `dir` (recursively) whose bytes contain `secret`. */
function filesHolding(dir: string, secret: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((p) => join(dir, p))
    .filter((p) => statSync(p).isFile() && readFileSync(p).includes(secret));
}

describe('the queue over TLS with a password (real redis-server, TLS only)', function () {
  this.timeout(180_000);
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const redis = useTestRedis({ password, tls: true });
  const processes: TestProcess[] = [];
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill9()));
  });

  it('runs a suite through rediss:// with the CA from LOOKRIGHT_REDIS_CA, the password nowhere in output or files', async () => {
    const { url, caFile } = redis();
    assert.match(url, new RegExp(`^rediss://:${password}@127\\.0\\.0\\.1:\\d+$`));
    const { file, dir } = writeTestSuite({ seeds: [5] });
    const env = { LOOKRIGHT_REDIS_CA: caFile };
    const worker = startTestWorker(url, join(dir, 'scratch'), env);
    processes.push(worker);
    const harness = startTestHarness(file, join(dir, 'runs'), { queueUrl: url, env });
    processes.push(harness);
    assert.equal(await harness.exit, 0, harness.output());
    const cells = storeView(join(dir, 'runs'));
    assert.equal(cells.length, 2);
    assert.ok(cells.every((c) => c.status === 'FINISHED'));
    assert.match(harness.output(), /to run on queue rediss:\/\/127\.0\.0\.1:\d+;/);
    await worker.kill9();
    for (const [name, text] of [
      ['harness output', harness.output()],
      ['worker output', worker.output()],
    ])
      assert.ok(!text.includes(password), `${name} holds the password:\n${text}`);
    assert.deepEqual(filesHolding(dir, password), [], 'store, scratch store and logs');
    assert.deepEqual(filesHolding(redis().dir, password), [], "Redis's append-only file");
    rmSync(dir, { recursive: true, force: true });
  });

  it('a CA that did not sign the server certificate, or none, is a QUEUE_TLS_REJECTED error at once', async () => {
    const { url } = redis();
    const otherDir = mkdtempSync(join(tmpdir(), 'lookright-other-ca-'));
    try {
      const other = makeTestCertificates(otherDir, 'some-other-ca');
      for (const env of [{ LOOKRIGHT_REDIS_CA: other.ca }, {}]) {
        await assert.rejects(
          checkReachable(redisTarget(url, env)),
          (e: Error & { code?: string; hint?: string }) =>
            e.code === 'QUEUE_TLS_REJECTED' &&
            /rediss:\/\/127\.0\.0\.1:\d+ presented a TLS certificate this machine does not trust/.test(e.message) &&
            /LOOKRIGHT_REDIS_CA/.test(e.hint ?? '') &&
            !`${e.message} ${e.hint} ${e.stack}`.includes(password),
        );
      }
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it('a wrong password over TLS is QUEUE_UNREACHABLE without either password in the message', async () => {
    const { url, caFile } = redis();
    const wrong = url.replace(password, 'not-the-password');
    await assert.rejects(
      checkReachable(redisTarget(wrong, { LOOKRIGHT_REDIS_CA: caFile })),
      (e: Error & { code?: string }) =>
        e.code === 'QUEUE_UNREACHABLE' &&
        /WRONGPASS|invalid username-password/.test(e.message) &&
        !e.message.includes(password) &&
        !e.message.includes('not-the-password'),
    );
  });
});
