import assert from 'node:assert/strict';
import { contractViolation, fitsContract } from '@lookright/core';
import { backboneForPretraining } from './pretrain-param.js';

describe('backboneForPretraining', () => {
  const corpus = '/data/gutenberg_nltk';

  it('is a Backbone by the core contract with the layers of its size and no folder until its cell has run', async () => {
    const decoder = backboneForPretraining(
      'backbone:llama',
      'decoder',
      { objective: 'clm', corpus, size: 'micro' },
      () => null,
    );
    assert.equal(fitsContract('backbone', decoder), true, String(contractViolation('backbone', decoder)));
    assert.equal(decoder.numLayers, 2);
    assert.equal(decoder.modelDir, '');
    await assert.rejects(decoder.load(), { code: 'MODEL_PRETRAIN_NOT_BUILT', message: /pre-trained by its own cell/ });
    const encoder = backboneForPretraining('backbone:bert', 'encoder', { objective: 'mlm', corpus }, () => null);
    assert.equal(encoder.numLayers, 4, 'tiny by default');
  });

  it('refuses an objective that does not pre-train the architecture, naming pretrain.objective', () => {
    assert.throws(() => backboneForPretraining('backbone:llama', 'decoder', { objective: 'mlm', corpus }, () => null), {
      code: 'MODEL_PRETRAIN_OBJECTIVE',
      message: 'backbone:llama: pretrain.objective mlm does not pre-train this architecture (it takes clm)',
    });
    assert.throws(() => backboneForPretraining('backbone:bert', 'encoder', { objective: 'clm', corpus }, () => null), {
      code: 'MODEL_PRETRAIN_OBJECTIVE',
      hint: /mlm an encoder \(backbone:bert\)/,
    });
  });
});
