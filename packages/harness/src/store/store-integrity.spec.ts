import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LookrightError } from '@lookright/core';
import { damageStore } from '../testing/damaged-store.js';
import { storeWithResults } from '../testing/store-with-results.js';
import { writeTestSuite } from '../testing/test-suite.js';
import { runTestSuite } from '../testing/test-suite-in-process.js';
import { RunStore } from './run-store.js';

/** A closed store with results, in `<dir>/store`. */
function closedStore() {
  const { store, dir } = storeWithResults({ causal: [0.5, 0.6, 0.7], groups: [0.6, 0.7, 0.8] });
  store.close();
  return { dir, storeDir: join(dir, 'store'), file: store.file };
}

const damaged = (file: string) => (error: LookrightError) => {
  assert.equal(error.code, 'STORE_CORRUPT');
  assert.ok(error.message.includes(file), error.message);
  assert.match(error.hint ?? '', /Move the file aside .* restore it from a backup/);
  return true;
};

describe('RunStore integrity and location', () => {
  for (const how of ['page', 'truncated'] as const) {
    it(`refuses a store whose file is damaged (${how}) with STORE_CORRUPT, naming the file and what to do`, async () => {
      const { storeDir, file } = closedStore();
      damageStore(file, how);
      assert.throws(() => RunStore.open(storeDir), damaged(file));
      assert.throws(() => RunStore.openExisting(storeDir), damaged(file));
      const suite = writeTestSuite({ seeds: [1], masks: ['mask:causal'] });
      await assert.rejects(
        runTestSuite(suite.file, storeDir, { workers: 1, env: process.env, observers: [] }),
        damaged(file),
      );
    });
  }

  it('refuses to open a folder without a store for reading, names the nearest store folder and creates nothing', () => {
    const { dir, storeDir } = closedStore();
    const typo = join(dir, 'stor');
    assert.throws(
      () => RunStore.openExisting(typo),
      (error: LookrightError) =>
        error.code === 'STORE_NOT_FOUND' &&
        error.message === `no run store in ${typo}` &&
        (error.hint ?? '').includes(`Did you mean --store ${storeDir}?`),
    );
    assert.equal(existsSync(typo), false);
    const far = join(mkdtempSync(join(tmpdir(), 'lookright-nostore-')), 'elsewhere');
    assert.throws(
      () => RunStore.openExisting(far),
      (error: LookrightError) => error.code === 'STORE_NOT_FOUND' && !error.hint?.includes('Did you mean'),
    );
    assert.equal(existsSync(far), false);
    RunStore.openExisting(storeDir).close();
  });
});
