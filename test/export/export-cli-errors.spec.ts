import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';

describe('lookright export / predict: bad input', () => {
  it('export names a missing store and creates none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookright-export-cli-'));
    const store = join(dir, 'no-store');
    const { status, stderr } = runCli(['export', 'abcd', '--store', store, '--out', join(dir, 'out')]);
    assert.equal(status, 1);
    assert.match(stderr, /^error: cannot open run store .*no-store\/lookright\.sqlite: no run store there/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(store), false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('predict names the missing lookright.json of a folder that is not an export', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookright-predict-cli-'));
    const { status, stderr } = runCli(['predict', '--adapter', dir, '--out', join(dir, 'p.conll')]);
    assert.equal(status, 1);
    assert.match(stderr, /^error: .*lookright\.json: \/: file not found\nhint: .*lookright export/);
    rmSync(dir, { recursive: true, force: true });
  });
});
