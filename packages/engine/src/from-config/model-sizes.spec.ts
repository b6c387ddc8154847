import assert from 'node:assert/strict';
import { modelSizePresets, resolveModelSizes } from './model-sizes.js';

const refused = (key: string, fits: RegExp) => (e: Error & { code?: string; hint?: string }) =>
  e.code === 'MODEL_CONFIG_SIZES' &&
  e.message.startsWith(`backbone:llama: config.${key} `) &&
  fits.test(`${e.message} ${e.hint}`);

describe('models from a config: sizes', () => {
  it('starts from the named size (tiny by default) and takes HF keys over it', () => {
    assert.deepEqual(resolveModelSizes({}, 'backbone:llama', 'decoder'), {
      ...modelSizePresets.tiny,
      kvHeads: modelSizePresets.tiny.heads,
    });
    const sizes = resolveModelSizes(
      { size: 'micro', num_hidden_layers: 3, num_attention_heads: 4, num_key_value_heads: 2 },
      'backbone:llama',
      'decoder',
    );
    assert.equal(sizes.layers, 3);
    assert.equal(sizes.hiddenSize, modelSizePresets.micro.hiddenSize);
    assert.deepEqual([sizes.heads, sizes.kvHeads], [4, 2]);
  });

  it('refuses heads that do not divide the hidden size, naming the divisors that would fit', () => {
    assert.throws(
      () => resolveModelSizes({ hidden_size: 48, num_attention_heads: 5 }, 'backbone:llama', 'decoder'),
      refused('num_attention_heads', /5 does not divide hidden_size 48.*1, 2, 3, 4, 6, 8, 12/),
    );
  });

  it('refuses key/value heads that do not divide the heads, naming the divisors that would fit', () => {
    assert.throws(
      () => resolveModelSizes({ num_attention_heads: 4, num_key_value_heads: 3 }, 'backbone:llama', 'decoder'),
      refused('num_key_value_heads', /3 does not divide num_attention_heads 4.*a divisor of 4 \(1, 2, 4\)/),
    );
  });

  it('refuses an odd head width on a decoder (RoPE) and key/value heads on an encoder', () => {
    assert.throws(
      () => resolveModelSizes({ hidden_size: 36, num_attention_heads: 4 }, 'backbone:llama', 'decoder'),
      refused('num_attention_heads', /odd head width 9.*\(1, 2, 3, 6, 9, 18\)/),
    );
    assert.throws(
      () => resolveModelSizes({ num_key_value_heads: 2 }, 'backbone:bert', 'encoder'),
      (e: Error & { code?: string }) => e.code === 'MODEL_CONFIG_SIZES' && /num_key_value_heads/.test(e.message),
    );
    assert.equal(resolveModelSizes({ hidden_size: 36, num_attention_heads: 4 }, 'backbone:bert', 'encoder').heads, 4);
  });
});
