import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runCli } from '../support/run-cli.js';

describe('the suites shipped in benchmarks/suites', () => {
  const dir = join(repoRoot, 'benchmarks', 'suites');
  const suites = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

  it('include the ids-only example, the quick start and the paper grid', () => {
    for (const name of ['example-ids-only.yaml', 'quickstart.yaml', 'paper-grid.yaml'])
      assert.ok(suites.includes(name), name);
  });

  for (const suite of suites) {
    it(`${suite} validates`, () => {
      const { status, stdout, stderr } = runCli(['validate', join(dir, suite)]);
      assert.equal(status, 0, stderr);
      assert.match(stdout, /valid suite/);
    });
  }
});
