import assert from 'node:assert/strict';
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
