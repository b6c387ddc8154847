import assert from 'node:assert/strict';
import { ajv, PluginRegistry, validatorOf } from '@lookright/core';
import datasetsModule from './module.js';

describe('@lookright/plugin-datasets module', () => {
  const registry = PluginRegistry.fromPackages([
    {
      origin: { packageName: '@lookright/plugin-datasets', packageVersion: '0.1.0', packageDir: '.' },
      module: datasetsModule,
    },
  ]);

  it('binds the seven dataset plugins, and only dataset plugins', () => {
    assert.deepEqual(registry.of('dataset').ids().sort(), [
      'dataset:absa',
      'dataset:conll',
      'dataset:conll2000',
      'dataset:conll2003',
      'dataset:hub',
      'dataset:synthetic',
      'dataset:ud',
    ]);
    assert.equal(registry.all().length, 7);
  });

  it('every params schema compiles, fills its defaults and refuses unknown keys', () => {
    const minimal: Record<string, Record<string, unknown>> = {
      'dataset:conll': { files: { train: 'train.txt' } },
      'dataset:hub': { repo: 'org/name' },
    };
    for (const { descriptor } of registry.of('dataset').all()) {
      const validate = validatorOf(descriptor.paramsSchema);
      const params = structuredClone(minimal[descriptor.id] ?? {});
      assert.ok(validate(params), `${descriptor.id}: ${ajv.errorsText(validate.errors)}`);
      assert.ok(!validate({ ...params, pth: 'typo' }), `${descriptor.id} accepted an unknown key`);
    }
    const validate = ajv.compile(registry.get('dataset:conll2003').descriptor.paramsSchema);
    const params: Record<string, unknown> = {};
    validate(params);
    assert.deepEqual(params, { task: 'ner', name: 'conll2003', lineEndings: 'lf' });
    assert.ok(!validate({ task: 'pos' }), 'conll2003 task is ner or chunk');
  });
});
