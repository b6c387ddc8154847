import assert from 'node:assert/strict';
import { redactUrlCredentials, redactUrlCredentialsIn } from './redaction.js';

describe('redactUrlCredentials', () => {
  it('hides the user and password of every URL in a text, up to the last @ before the host', () => {
    assert.equal(
      redactUrlCredentials('to http://alice:s3cret@host:5000/x and https://tok@hub.example/a?b=c@d'),
      'to http://***@host:5000/x and https://***@hub.example/a?b=c@d',
    );
    assert.equal(redactUrlCredentials('http://u:p@ss@host/'), 'http://***@host/');
    assert.equal(redactUrlCredentials('http://host:5000/path, mail a@b.c'), 'http://host:5000/path, mail a@b.c');
  });

  it('redacts every string of nested data and keeps everything else', () => {
    const data = { uri: 'http://a:b@h', list: ['x', 'redis://:pw@r:6379/0', 3], flag: true, none: null };
    assert.deepEqual(redactUrlCredentialsIn(data), {
      uri: 'http://***@h',
      list: ['x', 'redis://***@r:6379/0', 3],
      flag: true,
      none: null,
    });
  });
});
