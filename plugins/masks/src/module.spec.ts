import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPluginPackage, PluginRegistry } from '@lookright/core';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('@lookright/plugin-masks module', () => {
  it('binds the eight mask strategies under their namespaced ids', async () => {
    const registry = PluginRegistry.fromPackages([await importPluginPackage(packageDir)]);
    assert.deepEqual(registry.of('mask').ids().sort(), [
      'mask:bidirectional',
      'mask:causal',
      'mask:first-k',
      'mask:groups',
      'mask:last-k',
      'mask:layers',
      'mask:lookahead',
      'mask:middle',
    ]);
    for (const { origin } of registry.of('mask').all()) assert.equal(origin.packageName, '@lookright/plugin-masks');
  });
});
