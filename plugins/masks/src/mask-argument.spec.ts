import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPluginPackage, maskSpecsToString, PluginRegistry } from '@lookright/core';
import { resolveMaskArgument } from './mask-argument.js';
import { testContext } from './test-context.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('resolveMaskArgument', () => {
  let registry: PluginRegistry;
  before(async () => {
    registry = PluginRegistry.fromPackages([await importPluginPackage(packageDir)]);
  });

  const specsOf = async (argument: string, numLayers: number) =>
    maskSpecsToString((await resolveMaskArgument(argument, registry, testContext)).strategy.layerSpecs(numLayers));

  it('reads a 0/1 string as mask:groups, per group or per layer', async () => {
    const resolved = await resolveMaskArgument('0101', registry, testContext);
    assert.deepEqual(resolved.ref, { id: 'mask:groups', params: { pattern: '0101' } });
    assert.equal(resolved.strategy.layerSpecs(8).length, 8);
    assert.equal(await specsOf('0101', 8), '00110011');
    assert.equal(await specsOf('01100110', 8), '01100110');
  });

  it('reads ids with and without the namespace, key=value and JSON params', async () => {
    assert.equal(await specsOf('mask:bidirectional', 3), '111');
    assert.equal(await specsOf('causal', 3), '000');
    assert.equal(await specsOf('mask:first-k:k=2', 4), '1100');
    assert.equal(await specsOf('last-k:{"k":1}', 4), '0001');
    assert.equal(await specsOf('mask:layers:layers=0-1,3', 4), '1101');
    assert.equal(await specsOf('mask:lookahead:k=2&layers=0', 2), 'w0');
  });

  it('suggests the nearest id for an unknown one', async () => {
    await assert.rejects(resolveMaskArgument('mask:group', registry, testContext), {
      code: 'PLUGIN_UNKNOWN_ID',
      message: /did you mean mask:groups\?/,
    });
  });

  it('checks params against the plugin schema', async () => {
    await assert.rejects(resolveMaskArgument('mask:first-k:k=two', registry, testContext), {
      code: 'MASK_BAD_ARGUMENT',
      message: /mask:first-k params\/k must be integer/,
    });
    await assert.rejects(resolveMaskArgument('mask:first-k:n=2', registry, testContext), {
      code: 'MASK_BAD_ARGUMENT',
      message: /must NOT have additional properties/,
    });
    await assert.rejects(resolveMaskArgument('mask:first-k:k', registry, testContext), {
      message: /"k" is not key=value/,
    });
    await assert.rejects(resolveMaskArgument('mask:first-k:{k:1}', registry, testContext), {
      message: /not JSON/,
    });
  });
});
