import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { cellHash } from '../../expand/cell-hash.js';
import type { Cell, CellConfig } from '../../expand/cell-types.js';
import { testRegistry } from '../../testing/test-registry.js';
import { testCells } from '../../testing/test-suite.js';
import { describeCapability, needOf, offerOf, queueNameOf, satisfies, whyUnserved } from './queue-capability.js';

const runner = { id: 'runner:test', version: '1' };

/** A copy of a cell's config whose mask comes from `@lookright/plugin-masks` at `version`. */
function withMaskPackage(config: CellConfig, version: string): CellConfig {
  const copy = structuredClone(config);
  copy.mask.plugin = { package: '@lookright/plugin-masks', version };
  return copy;
}

describe('queue capabilities', () => {
  let dir = '';
  let cell: Cell;
  before(async () => {
    ({
      dir,
      cells: [cell],
    } = await testCells({ seeds: [1] }, runner));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a cell needs exactly the plugin package versions its hash covers, input transform included', () => {
    const need = needOf(withMaskPackage(cell.config, '0.3.0'));
    assert.deepEqual(need.plugins, {
      '@lookright/harness-test-plugins': '1.0.0',
      '@lookright/plugin-masks': '0.3.0',
    });
    // a version that changes the hash changes the queue; what the hash leaves out (a label) does not
    const other = withMaskPackage(cell.config, '0.2.0');
    assert.notEqual(cellHash(other), cellHash(withMaskPackage(cell.config, '0.3.0')));
    assert.notEqual(queueNameOf(needOf(other)), queueNameOf(need));
    const relabelled = withMaskPackage(cell.config, '0.3.0');
    relabelled.mask.label = 'renamed';
    assert.equal(queueNameOf(needOf(relabelled)), queueNameOf(need));
    const withInput = structuredClone(cell.config);
    withInput.input = {
      ...structuredClone(cell.config.head),
      id: 'input:repeat',
      plugin: { package: '@lookright/plugin-inputs', version: '0.1.0' },
      expansion: { factor: 2, extra: 0 },
    };
    assert.equal(needOf(withInput).plugins['@lookright/plugin-inputs'], '0.1.0');
    // the packages of the suite's own plugin list are loaded from the suite's folder, not routed on
    assert.deepEqual(needOf(withMaskPackage(cell.config, '0.3.0'), new Set(['@lookright/plugin-masks'])).plugins, {
      '@lookright/harness-test-plugins': '1.0.0',
    });
  });

  it('a worker serves a need when it has the runner, numerics, lookright and every plugin version', () => {
    const offer = offerOf(runner, testRegistry('1.0.0'));
    assert.deepEqual(offer.plugins, { '@lookright/harness-test-plugins': '1.0.0' });
    assert.ok(satisfies(offer, needOf(cell.config)));
    assert.ok(!satisfies(offerOf(runner, testRegistry('0.2.0')), needOf(cell.config)));
    assert.ok(!satisfies(offer, needOf(withMaskPackage(cell.config, '0.3.0'))), 'a package it lacks');
    assert.ok(
      !satisfies(offerOf({ ...runner, numerics: { 'backend.auto': 'wasm' } }, testRegistry()), needOf(cell.config)),
    );
    assert.ok(!satisfies(offerOf({ ...runner, version: '2' }, testRegistry()), needOf(cell.config)));
  });

  it('says what no connected worker has, naming the versions the workers do have', () => {
    const need = needOf(withMaskPackage(cell.config, '0.3.0'));
    assert.match(
      describeCapability(need),
      /^runner:test@1, lookright \S+, @lookright\/harness-test-plugins 1\.0\.0, @lookright\/plugin-masks 0\.3\.0$/,
    );
    assert.equal(whyUnserved(need, []), 'no worker is connected');
    const masks = (version: string) => ({
      ...offerOf(runner, testRegistry()),
      plugins: { '@lookright/harness-test-plugins': '1.0.0', '@lookright/plugin-masks': version },
    });
    assert.equal(
      whyUnserved(need, [masks('0.2.0')]),
      'needs @lookright/plugin-masks 0.3.0; connected workers have 0.2.0',
    );
    assert.equal(
      whyUnserved(need, [offerOf({ ...runner, numerics: { native: 'off' } }, testRegistry('0.2.0'))]),
      'needs @lookright/harness-test-plugins 1.0.0; connected workers have 0.2.0. needs @lookright/plugin-masks 0.3.0; connected workers have none',
    );
    const wasmNeed = { ...need, numerics: { 'backend.auto': 'wasm' } };
    assert.match(whyUnserved(wasmNeed, [masks('0.3.0')]), /^needs backend\.auto=wasm; connected workers have none$/);
    // each fact is somewhere, but no single worker has them all
    const onlyMasks = { ...masks('0.3.0'), plugins: { '@lookright/plugin-masks': '0.3.0' } };
    assert.equal(
      whyUnserved(need, [onlyMasks, offerOf(runner, testRegistry())]),
      'no connected worker has all of these at once',
    );
  });
});
