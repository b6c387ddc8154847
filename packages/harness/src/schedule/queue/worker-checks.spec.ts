import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { testRegistry } from '../../testing/test-registry.js';
import { testCells } from '../../testing/test-suite.js';
import { checkCellPlugins, withLocalEnvironment } from './worker-checks.js';

describe('queue worker checks', () => {
  it('interpolates the params as written with the worker’s environment, keeping the hash', async () => {
    const { dir, cells } = await testCells({ seeds: [1] });
    const cell = structuredClone(cells[0]);
    cell.config.dataset.paramsAsWritten = { file: ['$', '{LOOKRIGHT_DATA_DIR}/train.txt'].join('') };
    cell.config.dataset.params = { file: '/on/the/harness/train.txt' };
    const local = withLocalEnvironment(cell, { LOOKRIGHT_DATA_DIR: '/on/the/worker' });
    assert.deepEqual(local.config.dataset.params, { file: '/on/the/worker/train.txt' });
    assert.equal(local.hash, cell.hash);
    assert.throws(() => withLocalEnvironment(cell, {}), /LOOKRIGHT_DATA_DIR/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a cell naming a plugin version this worker does not have', async () => {
    const { dir, cells } = await testCells({ seeds: [1] });
    const registry = testRegistry();
    checkCellPlugins(cells[0], registry);
    const other = structuredClone(cells[0]);
    other.config.mask.plugin.version = '9.9.9';
    assert.throws(
      () => checkCellPlugins(other, registry),
      (e: Error & { code?: string }) =>
        e.code === 'QUEUE_PLUGIN_MISMATCH' && e.message.includes(`needs ${other.config.mask.id} version 9.9.9`),
    );
    rmSync(dir, { recursive: true, force: true });
  });
});
