import assert from 'node:assert/strict';
import { ContainerModule } from 'inversify';
import { MaskStrategy } from '../extension-points/index.js';
import type { PluginDescriptor } from '../plugin-descriptor.js';
import { importPluginPackage } from '../plugin-discovery.js';
import { PluginRegistry } from '../plugin-registry.js';
import { writeTempPluginPackage } from '../testing/temp-plugin-package.js';
import { expandMaskAxis, expandMaskGrid } from './mask-grid.js';
import { validateSuiteText } from './validate-suite.js';

const mask = (id: string, extra: Partial<PluginDescriptor> = {}): PluginDescriptor => ({
  id,
  kind: 'mask',
  summary: id,
  paramsSchema: { type: 'object' },
  create: () => ({ label: id, layerSpecs: () => [] }),
  ...extra,
});

const masksRegistry = (...descriptors: PluginDescriptor[]) =>
  PluginRegistry.fromPackages([
    {
      origin: { packageName: 'grid-owners', packageVersion: '1.0.0', packageDir: '/x' },
      module: new ContainerModule(({ bind }) => {
        for (const d of descriptors) bind(MaskStrategy).toConstantValue(d);
      }),
    },
  ]);

const registry = masksRegistry(
  mask('mask:causal'),
  mask('mask:groups', { shorthands: { grid: { param: 'pattern' } } }),
);

describe('mask grids', () => {
  it('groups: 4 expands to the 16 patterns 0000 .. 1111 in binary order', () => {
    const refs = expandMaskGrid(4, registry);
    assert.equal(refs.length, 16);
    assert.deepEqual(refs[0], { id: 'mask:groups', params: { pattern: '0000' } });
    assert.deepEqual(refs[5], { id: 'mask:groups', params: { pattern: '0101' } });
    assert.deepEqual(refs[15], { id: 'mask:groups', params: { pattern: '1111' } });
    const patterns = refs.map((r) => (r.params as { pattern: string }).pattern);
    assert.equal(new Set(patterns).size, 16);
    assert.ok(patterns.every((p) => /^[01]{4}$/.test(p)));
  });

  it('groups: 1 is causal and bidirectional', () => {
    assert.deepEqual(
      expandMaskGrid(1, registry).map((r) => r.params),
      [{ pattern: '0' }, { pattern: '1' }],
    );
  });

  it('refuses group counts outside 1..8', () => {
    assert.throws(() => expandMaskGrid(0, registry), { code: 'MASK_GRID_INVALID' });
    assert.throws(() => expandMaskGrid(9, registry), { code: 'MASK_GRID_INVALID', message: /from 1 to 8/ });
    assert.throws(() => expandMaskGrid(2.5, registry), { code: 'MASK_GRID_INVALID' });
  });

  it('expands the grids of a validated suite mask axis and keeps the other entries in order', async () => {
    const { packageDir } = writeTempPluginPackage('grid-test-plugins', [
      { id: 'backbone:stub', kind: 'backbone' },
      { id: 'dataset:stub', kind: 'dataset' },
      { id: 'head:linear', kind: 'head' },
      {
        id: 'mask:groups',
        kind: 'mask',
        paramsSchema: { type: 'object', required: ['pattern'], properties: { pattern: { type: 'string' } } },
        shorthands: { text: { match: '^[01]+$', param: 'pattern' }, grid: { param: 'pattern' } },
      },
    ]);
    const registry = PluginRegistry.fromPackages([await importPluginPackage(packageDir)]);
    const suite = validateSuiteText(
      'grid.yaml',
      [
        'name: grid',
        'axes:',
        '  backbone: [backbone:stub]',
        '  mask: ["0000", {grid: {groups: 2}}]',
        '  dataset: [dataset:stub]',
      ].join('\n'),
      registry,
    );
    const axis = expandMaskAxis(suite.axes.mask, registry);
    assert.deepEqual(
      axis.map((r) => (r.params as { pattern: string }).pattern),
      ['0000', '00', '01', '10', '11'],
    );
  });

  it('expands to whichever mask plugin declares the grid shorthand, with its param; none declaring it is an error', () => {
    const bits = masksRegistry(mask('mask:bits', { shorthands: { grid: { param: 'on' } } }));
    assert.deepEqual(expandMaskGrid(1, bits), [
      { id: 'mask:bits', params: { on: '0' } },
      { id: 'mask:bits', params: { on: '1' } },
    ]);
    assert.throws(() => expandMaskGrid(2, masksRegistry(mask('mask:groups'))), { code: 'MASK_GRID_UNOWNED' });
  });

  it('refuses a second plugin claiming the grid shorthand, naming both', () => {
    assert.throws(
      () =>
        masksRegistry(
          mask('mask:groups', { shorthands: { grid: { param: 'pattern' } } }),
          mask('mask:bits', { shorthands: { grid: { param: 'on' } } }),
        ),
      { code: 'PLUGIN_DUPLICATE_ROLE', message: /mask:bits from grid-owners .* grid shorthand, which mask:groups/ },
    );
  });
});
