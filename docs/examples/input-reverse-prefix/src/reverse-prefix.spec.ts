import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPluginPackage, PluginRegistry } from '@lookright/core';
import { reversePrefixInput } from './reverse-prefix.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Creates the transform as a cell does: through the registry, with the InputTransform contract checked. */
const create = async () =>
  PluginRegistry.fromPackages([await importPluginPackage(packageDir)]).create(
    'input',
    { id: reversePrefixInput.id },
    { baseDir: packageDir, env: {}, log: () => {} },
  );

// <s> w0 w1(2 sub-words) w2 </s>
const sentence = { ids: [1, 10, 11, 12, 13, 2], positions: [1, 2, 4], prefixLength: 1, suffixLength: 1 };

describe('input:reverse-prefix', () => {
  it('puts the reversed sentence first and reads each word once from the forward copy', async () => {
    const t = await create();
    const out = t.apply(sentence);
    assert.deepEqual(out.ids, [1, 13, 12, 11, 10, 10, 11, 12, 13, 2]);
    assert.deepEqual(out.positions, [5, 6, 8]);
    assert.deepEqual(out.sources, [0, 4, 3, 2, 1, 1, 2, 3, 4, 5]);
    assert.deepEqual(
      out.positions.map((p) => out.ids[p]),
      sentence.positions.map((p) => sentence.ids[p]),
    );
    assert.equal(out.ids.length, t.expandedLength(sentence.ids.length, 2));
  });

  it('refuses a label position on a special token, naming the plugin', async () => {
    const t = await create();
    assert.throws(
      () => t.apply({ ...sentence, positions: [5] }),
      (e: Error & { code?: string }) => e.code === 'INPUT_REVERSE_PREFIX_POSITION' && /reverse-prefix/.test(e.message),
    );
  });

  it('is what lookright loads from this package', async () => {
    const registry = PluginRegistry.fromPackages([await importPluginPackage(packageDir)]);
    assert.deepEqual(registry.of('input').ids(), ['input:reverse-prefix']);
    assert.equal(registry.get('input:reverse-prefix').origin.packageName, 'lookright-input-reverse-prefix');
  });
});
