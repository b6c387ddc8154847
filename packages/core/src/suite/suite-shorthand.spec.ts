import assert from 'node:assert/strict';
import { ContainerModule } from 'inversify';
import { Head, MaskStrategy } from '../extension-points/index.js';
import type { PluginDescriptor, PluginKind } from '../plugin-descriptor.js';
import { PluginRegistry } from '../plugin-registry.js';
import { defaultRefs, expandShorthands, refFromText } from './suite-shorthand.js';

const plugin = (id: string, kind: PluginKind, roles: Partial<PluginDescriptor> = {}): PluginDescriptor => ({
  id,
  kind,
  summary: id,
  paramsSchema: { type: 'object' },
  create: () => ({}),
  ...roles,
});

const registryOf = (...descriptors: PluginDescriptor[]) =>
  PluginRegistry.fromPackages([
    {
      origin: { packageName: 'roles', packageVersion: '1.0.0', packageDir: '/x' },
      module: new ContainerModule(({ bind }) => {
        for (const d of descriptors) bind(d.kind === 'head' ? Head : MaskStrategy).toConstantValue(d);
      }),
    },
  ]);

describe('suite shorthands and defaults declared by plugins', () => {
  const registry = registryOf(
    plugin('mask:causal', 'mask'),
    plugin('mask:bits', 'mask', { shorthands: { text: { match: '^[ab]+$', param: 'on' } } }),
    plugin('head:plain', 'head'),
    plugin('head:softmax', 'head', { isDefault: true }),
  );

  it('turns a bare string into the reference of the plugin whose text shorthand matches it', () => {
    assert.deepEqual(refFromText(registry, 'mask', 'abba'), { id: 'mask:bits', params: { on: 'abba' } });
    assert.deepEqual(refFromText(registry, 'mask', 'mask:causal'), { id: 'mask:causal' });
    assert.deepEqual(refFromText(registry, 'head', 'abba'), { id: 'abba' }, 'only on the owner’s own axis');
  });

  it('knows no plugin id of its own: without an owner, 0101 stays an id', () => {
    assert.deepEqual(refFromText(registryOf(plugin('mask:groups', 'mask')), 'mask', '0101'), { id: '0101' });
  });

  it('rewrites a suite’s axes in place', () => {
    const suite = {
      axes: { mask: ['ab', 'mask:causal', { id: 'mask:bits', params: { on: 'b' } }], head: ['head:plain'] },
    };
    expandShorthands(suite, registry);
    assert.deepEqual(suite.axes, {
      mask: [
        { id: 'mask:bits', params: { on: 'ab' } },
        { id: 'mask:causal' },
        { id: 'mask:bits', params: { on: 'b' } },
      ],
      head: [{ id: 'head:plain' }],
    });
  });

  it('takes the default of an axis from the plugin declaring itself the default, none when no plugin does', () => {
    assert.deepEqual(defaultRefs(registry, 'head'), [{ id: 'head:softmax' }]);
    assert.deepEqual(defaultRefs(registry, 'mask'), []);
  });

  it('refuses a second default for the same kind', () => {
    assert.throws(
      () => registryOf(plugin('head:a', 'head', { isDefault: true }), plugin('head:b', 'head', { isDefault: true })),
      {
        code: 'PLUGIN_DUPLICATE_ROLE',
      },
    );
  });
});
