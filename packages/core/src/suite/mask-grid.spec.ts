import assert from 'node:assert/strict';
import { importPluginPackage } from '../plugin-discovery.js';
import { PluginRegistry } from '../plugin-registry.js';
import { writeTempPluginPackage } from '../testing/temp-plugin-package.js';
import { expandMaskAxis, expandMaskGrid } from './mask-grid.js';
import { validateSuiteText } from './validate-suite.js';

describe('mask grids', () => {
  it('groups: 4 expands to the 16 patterns 0000 .. 1111 in binary order', () => {
    const refs = expandMaskGrid(4);
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
      expandMaskGrid(1).map((r) => r.params),
      [{ pattern: '0' }, { pattern: '1' }],
    );
  });

  it('refuses group counts outside 1..8', () => {
    assert.throws(() => expandMaskGrid(0), { code: 'MASK_GRID_INVALID' });
    assert.throws(() => expandMaskGrid(9), { code: 'MASK_GRID_INVALID', message: /from 1 to 8/ });
    assert.throws(() => expandMaskGrid(2.5), { code: 'MASK_GRID_INVALID' });
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
    const axis = expandMaskAxis(suite.axes.mask);
    assert.deepEqual(
      axis.map((r) => (r.params as { pattern: string }).pattern),
      ['0000', '00', '01', '10', '11'],
    );
  });
});
