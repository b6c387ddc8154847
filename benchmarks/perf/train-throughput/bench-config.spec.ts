import assert from 'node:assert/strict';
import { parseMatmulPrecisions } from './bench-config.js';

describe('parseMatmulPrecisions', () => {
  it('reads --matmul as a list of f32 and bf16', () => {
    assert.deepEqual(parseMatmulPrecisions('f32'), ['f32']);
    assert.deepEqual(parseMatmulPrecisions('f32,bf16'), ['f32', 'bf16']);
    assert.deepEqual(parseMatmulPrecisions('bf16'), ['bf16']);
  });

  it('rejects an empty list or an unknown precision, naming the option and the choices', () => {
    assert.throws(() => parseMatmulPrecisions(''), /--matmul .*takes a list of f32, bf16/);
    assert.throws(() => parseMatmulPrecisions('f32,fp16'), /--matmul f32,fp16: takes a list of f32, bf16/);
  });
});
