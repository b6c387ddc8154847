import assert from 'node:assert/strict';
import { contractViolation, fitsContract } from '@lookright/core';
import { backboneFromConfig } from './backbone-params.js';

describe('backboneFromConfig', () => {
  const open = () => Promise.reject(new Error('not opened in this spec'));
  const backbone = backboneFromConfig('backbone:llama', 'decoder', { size: 'micro' }, () => null, open);

  it('is a Backbone by the core contract (registry.create accepts it), with no folder yet', () => {
    assert.equal(fitsContract('backbone', backbone), true, String(contractViolation('backbone', backbone)));
    assert.equal(backbone.modelDir, '');
    assert.ok(backbone.fromConfig);
  });

  it('refuses load() with a typed error: the weights exist only once fromConfig.open has a folder', async () => {
    await assert.rejects(backbone.load(), {
      code: 'MODEL_FROM_CONFIG_NOT_BUILT',
      message: /backbone:llama is made from a config/,
    });
  });
});
