import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('the lookright bin', () => {
  it('runs the CLI through the package bin, as `pnpm exec lookright` does', () => {
    const result = spawnSync('pnpm', ['exec', 'lookright', 'plugins', 'list'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /mask:groups .*\(@lookright\/plugin-masks\)/);
  });

  it('reports a bad command with an exit code and no stack trace', () => {
    const result = spawnSync(process.execPath, [`${repoRoot}packages/cli/bin/lookright.js`, 'validate', 'nope.yaml'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /nope\.yaml/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });
});
