import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactUrl, redisTarget } from './redis-connection.js';

describe('redisTarget', () => {
  it('takes the password from the URL or REDIS_PASSWORD and never puts it in the printable form', () => {
    const fromUrl = redisTarget('redis://alice:s%40cret@db.example:6380/2', {});
    assert.equal(fromUrl.options.password, 's@cret');
    assert.equal(fromUrl.options.username, 'alice');
    assert.equal(fromUrl.options.db, 2);
    assert.equal(fromUrl.printable, 'redis://db.example:6380/2');
    const fromEnv = redisTarget('redis://db.example', { REDIS_PASSWORD: 'envpass' });
    assert.equal(fromEnv.options.password, 'envpass');
    assert.equal(fromEnv.options.port, 6379);
    assert.doesNotMatch(fromEnv.printable, /envpass/);
    assert.equal(fromEnv.options.maxRetriesPerRequest, null);
  });

  it('turns on TLS for rediss://', () => {
    const target = redisTarget('rediss://:pw@secure.example:6380', {});
    assert.deepEqual(target.options.tls, { servername: 'secure.example' });
    assert.equal(target.printable, 'rediss://secure.example:6380');
    assert.equal(redisTarget('redis://h', {}).options.tls, undefined);
  });

  it('TLS to an IP address sends no server name; LOOKRIGHT_REDIS_CA names the CA, and a bad one is QUEUE_CA_UNREADABLE', () => {
    assert.deepEqual(redisTarget('rediss://127.0.0.1:6380', {}).options.tls, {});
    const dir = mkdtempSync(join(tmpdir(), 'lookright-ca-'));
    try {
      const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
      writeFileSync(join(dir, 'ca.pem'), pem);
      writeFileSync(join(dir, 'not-a.pem'), 'hello');
      const target = redisTarget('rediss://:pw@db.example', { LOOKRIGHT_REDIS_CA: join(dir, 'ca.pem') });
      assert.deepEqual(target.options.tls, { servername: 'db.example', ca: pem });
      for (const [file, reason] of [
        ['missing.pem', /ENOENT/],
        ['not-a.pem', /holds no PEM certificate/],
      ] as const) {
        assert.throws(
          () => redisTarget('rediss://:pw@db.example', { LOOKRIGHT_REDIS_CA: join(dir, file) }),
          (e: Error & { code?: string }) =>
            e.code === 'QUEUE_CA_UNREADABLE' && e.message.includes(file) && reason.test(e.message),
        );
      }
      // only TLS reads the CA file
      assert.equal(redisTarget('redis://h', { LOOKRIGHT_REDIS_CA: join(dir, 'missing.pem') }).options.tls, undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses other schemes and paths with a QUEUE_URL_INVALID error that hides the password', () => {
    for (const [url, reason] of [
      ['http://u:topsecret@h', /scheme must be redis: or rediss:/],
      ['redis://u:topsecret@h/queue', /database number/],
      ['not a url topsecret', /not a URL/],
    ] as const) {
      assert.throws(
        () => redisTarget(url, {}),
        (e: Error & { code?: string }) =>
          e.code === 'QUEUE_URL_INVALID' && reason.test(e.message) && !e.message.includes('topsecret'),
        url,
      );
    }
    assert.equal(redactUrl('redis://u:p@h:1/0'), 'redis://***@h:1/0');
  });
});
