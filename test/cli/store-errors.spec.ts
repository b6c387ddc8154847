import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { damageStore } from '../../packages/harness/src/testing/damaged-store.js';
import { storeWithResults } from '../../packages/harness/src/testing/store-with-results.js';
import { runCli } from '../support/run-cli.js';

/** A closed store with results in `<dir>/store`. */
function closedStore() {
  const { store, dir } = storeWithResults({ causal: [0.5, 0.6, 0.7], groups: [0.6, 0.7, 0.8] });
  store.close();
  return { dir, storeDir: join(dir, 'store'), file: store.file };
}

/** The reading commands, with an MLflow address that is never contacted. */
const readers = [['report'], ['mlflow', 'sync']];
const env = { MLFLOW_TRACKING_URI: 'http://127.0.0.1:9' };

describe('lookright report and mlflow sync on a bad --store', () => {
  for (const how of ['page', 'truncated'] as const) {
    it(`name a damaged store file (${how}) and say what to do, with no internal error`, () => {
      const { storeDir, file } = closedStore();
      damageStore(file, how);
      for (const command of readers) {
        const { status, stderr } = runCli([...command, '--store', storeDir], { env });
        assert.equal(status, 1, stderr);
        assert.ok(stderr.includes(`error: run store ${file} is damaged`), stderr);
        assert.match(stderr, /hint: Move the file aside .* restore it from a backup/);
        assert.doesNotMatch(stderr, /internal error|permissions/);
      }
    });
  }

  it('refuse a store folder that does not exist, name the nearest one, and create nothing', () => {
    const { dir, storeDir } = closedStore();
    const typo = join(dir, 'stoer');
    for (const command of readers) {
      const { status, stderr } = runCli([...command, '--store', typo], { env });
      assert.equal(status, 1, stderr);
      assert.ok(stderr.includes(`error: no run store in ${typo}`), stderr);
      assert.ok(stderr.includes(`hint: Did you mean --store ${storeDir}?`), stderr);
      assert.equal(existsSync(typo), false, `${command.join(' ')} created ${typo}`);
    }
  });
});
