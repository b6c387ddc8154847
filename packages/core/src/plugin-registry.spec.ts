import assert from 'node:assert/strict';
import { ContainerModule } from 'inversify';
import { LookrightError } from './errors.js';
import { MaskStrategy } from './extension-points/index.js';
import { loadRegistry } from './load-registry.js';
import type { PluginDescriptor } from './plugin-descriptor.js';
import { PluginRegistry } from './plugin-registry.js';
import { writeTempPluginPackage } from './testing/temp-plugin-package.js';

const mask = (id: string): PluginDescriptor => ({
  id,
  kind: 'mask',
  summary: id,
  paramsSchema: { type: 'object' },
  create: () => ({ layerSpecs: () => [], label: id }),
});

const pkg = (name: string, ...descriptors: PluginDescriptor[]) => ({
  origin: { packageName: name, packageVersion: '1.0.0', packageDir: `/x/${name}` },
  module: new ContainerModule(({ bind }) => {
    for (const d of descriptors) bind(MaskStrategy).toConstantValue(d);
  }),
});

function errorCode(fn: () => unknown): LookrightError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof LookrightError, `expected a LookrightError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an error');
}

describe('PluginRegistry', () => {
  it('is empty, not broken, with zero plugins', () => {
    const registry = PluginRegistry.fromPackages([]);
    assert.deepEqual(registry.all(), []);
    assert.deepEqual(registry.of('mask').all(), []);
    assert.match(errorCode(() => registry.get('mask:groups')).hint ?? '', /No mask plugins are installed/);
  });

  it('collects descriptors per extension point with their package', () => {
    const registry = PluginRegistry.fromPackages([pkg('a', mask('mask:groups'), mask('mask:causal'))]);
    assert.deepEqual(registry.of('mask').ids(), ['mask:groups', 'mask:causal']);
    assert.equal(registry.get('mask:causal').origin.packageName, 'a');
    assert.deepEqual(registry.of('head').ids(), []);
  });

  it('names both packages for a duplicate id', () => {
    const error = errorCode(() =>
      PluginRegistry.fromPackages([pkg('first-pkg', mask('mask:groups')), pkg('second-pkg', mask('mask:groups'))]),
    );
    assert.equal(error.code, 'PLUGIN_DUPLICATE_ID');
    assert.match(error.message, /mask:groups.*first-pkg.*second-pkg/);
  });

  it('suggests the nearest id for an unknown one', () => {
    const registry = PluginRegistry.fromPackages([pkg('a', mask('mask:groups'), mask('mask:layers'))]);
    const error = errorCode(() => registry.get('mask:grups'));
    assert.equal(error.code, 'PLUGIN_UNKNOWN_ID');
    assert.match(error.message, /did you mean mask:groups\?/);
  });

  it('refuses ids outside their namespace and kinds bound under the wrong service id', () => {
    assert.equal(errorCode(() => PluginRegistry.fromPackages([pkg('a', mask('groups'))])).code, 'PLUGIN_BAD_ID');
    const wrongKind = { ...mask('mask:x'), kind: 'head' as const };
    assert.equal(errorCode(() => PluginRegistry.fromPackages([pkg('a', wrongKind)])).code, 'PLUGIN_PACKAGE_INVALID');
  });
});

describe('loadRegistry with external plugin packages', () => {
  it('loads a package from outside the workspace by name, resolved from the suite folder', async () => {
    const { root } = writeTempPluginPackage('lookright-plugin-external', [{ id: 'mask:external', kind: 'mask' }]);
    const registry = await loadRegistry({ workspace: false, extra: ['lookright-plugin-external'], baseDir: root });
    const entry = registry.get('mask:external');
    assert.equal(entry.origin.packageName, 'lookright-plugin-external');
    assert.equal(entry.origin.packageVersion, '1.2.3');
  });

  it('loads a package by path and reports a duplicate against the same id twice', async () => {
    const one = writeTempPluginPackage('pkg-one', [{ id: 'mask:same', kind: 'mask' }]);
    const two = writeTempPluginPackage('pkg-two', [{ id: 'mask:same', kind: 'mask' }]);
    await assert.rejects(
      loadRegistry({ workspace: false, extra: [one.packageDir, two.packageDir] }),
      (error: LookrightError) =>
        error.code === 'PLUGIN_DUPLICATE_ID' && /pkg-one/.test(error.message) && /pkg-two/.test(error.message),
    );
  });

  it('explains a missing package and a package without a plugin field', async () => {
    await assert.rejects(
      loadRegistry({ workspace: false, extra: ['no-such-plugin'], baseDir: '/tmp' }),
      /PLUGIN_NOT_FOUND|not found/,
    );
    const { packageDir } = writeTempPluginPackage('pkg-bad', []);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${packageDir}/package.json`, JSON.stringify({ name: 'pkg-bad' }));
    await assert.rejects(loadRegistry({ workspace: false, extra: [packageDir] }), /no "lookright"/);
  });
});
