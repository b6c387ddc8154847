import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPluginPackage, type PluginContext, PluginRegistry } from '@lookright/core';
import { identityInput } from './identity.js';
import { repeatInput } from './repeat.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const ctx: PluginContext = { baseDir: process.cwd(), env: {}, log: () => {} };

/** Creates a transform as a cell does: through the registry, params validated, the InputTransform contract checked. */
async function create(descriptor: { id: string }, params: Record<string, unknown>) {
  const registry = PluginRegistry.fromPackages([await importPluginPackage(packageDir)]);
  return registry.create('input', { id: descriptor.id, params }, ctx);
}

// <s> w0 w1(2 sub-words) w2 </s>: prefix 1, suffix 1, word starts at 1, 2 and 4
const sentence = { ids: [1, 10, 11, 12, 13, 2], positions: [1, 2, 4], prefixLength: 1, suffixLength: 1 };

describe('@lookright/plugin-inputs', () => {
  it('binds input:identity and input:repeat with kind input', async () => {
    const registry = PluginRegistry.fromPackages([await importPluginPackage(packageDir)]);
    assert.deepEqual(registry.of('input').ids().sort(), ['input:identity', 'input:repeat']);
    for (const { descriptor, origin } of registry.of('input').all()) {
      assert.equal(descriptor.kind, 'input');
      assert.equal(origin.packageName, '@lookright/plugin-inputs');
    }
  });

  it('declares input:identity the default input, the one a suite without an input axis uses', async () => {
    const registry = PluginRegistry.fromPackages([await importPluginPackage(packageDir)]);
    assert.equal(registry.of('input').owner('default')?.descriptor.id, 'input:identity');
  });

  it('input:identity returns the sentence and its positions unchanged', async () => {
    const t = await create(identityInput, {});
    assert.deepEqual(t.apply(sentence), {
      ids: sentence.ids,
      positions: sentence.positions,
      sources: [0, 1, 2, 3, 4, 5],
    });
    assert.equal(t.expandedLength(6, 2), 6);
    assert.equal(t.label, 'identity');
  });

  it('input:repeat r=2 repeats the body between the specials and reads each word from the last copy', async () => {
    const t = await create(repeatInput, { r: 2 });
    const out = t.apply(sentence);
    assert.deepEqual(out.ids, [1, 10, 11, 12, 13, 10, 11, 12, 13, 2]);
    assert.deepEqual(out.positions, [5, 6, 8]);
    assert.deepEqual(out.sources, [0, 1, 2, 3, 4, 1, 2, 3, 4, 5]);
    // each word read once, at a copy of its own first sub-word, after every token of the first copy
    assert.deepEqual(
      out.positions.map((p) => out.ids[p]),
      sentence.positions.map((p) => sentence.ids[p]),
    );
    assert.ok(out.positions.every((p) => p > 4));
    assert.equal(out.ids.length, t.expandedLength(sentence.ids.length, 2));
    assert.equal(t.label, 'repeat:r2');
  });

  it('input:repeat r=3 with a separator puts it between copies and counts it in the expanded length', async () => {
    const t = await create(repeatInput, { r: 3, separator: 7 });
    const out = t.apply(sentence);
    assert.deepEqual(out.ids, [1, 10, 11, 12, 13, 7, 10, 11, 12, 13, 7, 10, 11, 12, 13, 2]);
    assert.deepEqual(out.positions, [11, 12, 14]);
    assert.deepEqual(out.sources, [0, 1, 2, 3, 4, -1, 1, 2, 3, 4, -1, 1, 2, 3, 4, 5]);
    assert.equal(out.ids.length, t.expandedLength(6, 2));
    assert.equal(t.label, 'repeat:r3+sep');
  });

  it('input:repeat refuses a label position on a special token, naming the plugin', async () => {
    const t = await create(repeatInput, { r: 2 });
    assert.throws(
      () => t.apply({ ...sentence, positions: [0] }),
      (e: Error & { code?: string }) => e.code === 'INPUT_LABEL_OUTSIDE_SENTENCE' && /input:repeat/.test(e.message),
    );
  });
});
