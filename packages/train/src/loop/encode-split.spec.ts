import assert from 'node:assert/strict';
import { type InputTransform, loadRegistry } from '@lookright/core';
import { wordLevelTokenizerJson, wordTokenizerFromJson } from '@lookright/text';
import { encodeSplit } from './encode-split.js';

const words = ['a', 'b', 'c', 'd', 'e'];
const tokenizer = wordTokenizerFromJson(wordLevelTokenizerJson(words), {}, 'test tokenizer');
const sentences = [{ words, tags: ['B-PER', 'O', 'O', 'O', 'O'] }];
const labels = ['O', 'B-PER'];

async function repeat(r: number): Promise<InputTransform> {
  const registry = await loadRegistry({ baseDir: process.cwd() });
  const ctx = { baseDir: process.cwd(), env: {}, log: () => {} };
  return registry.create('input', { id: 'input:repeat', params: { r } }, ctx);
}

describe('encodeSplit with an input transform', () => {
  it('bounds the expanded sequence by maxLength, counting cut words as without a transform', async () => {
    const plain = encodeSplit(tokenizer, sentences, labels, 8);
    assert.deepEqual(plain.sentences[0].positions, [0, 1, 2, 3, 4]);
    const out = encodeSplit(tokenizer, sentences, labels, 8, await repeat(2));
    assert.equal(out.alignLength, 4, 'two copies of 4 tokens fill maxLength 8');
    const [s] = out.sentences;
    assert.equal(s.ids.length, 8);
    assert.deepEqual(s.ids.slice(0, 4), s.ids.slice(4));
    assert.deepEqual(s.positions, [4, 5, 6, 7], 'each kept word read once, from the last copy');
    assert.deepEqual(s.wordIndices, [0, 1, 2, 3]);
    assert.deepEqual(s.labels, [1, 0, 0, 0]);
    assert.equal(out.report.truncatedWords, 1, 'the fifth word is cut and reported');
  });

  it('refuses a maxLength that leaves no room for one word, and a transform that loses a word', async () => {
    assert.throws(
      () =>
        encodeSplit(tokenizer, sentences, labels, 1, {
          label: 'r',
          context: 'as-masked',
          expandedLength: (n) => 2 * n,
          apply: () => ({ ids: [], positions: [], sources: [] }),
        }),
      (e: Error & { code?: string }) =>
        e.code === 'TRAIN_MAXLENGTH_TOO_SMALL_FOR_INPUT' && /maxLength 1/.test(e.message),
    );
    const losing: InputTransform = { ...(await repeat(2)), label: 'losing' };
    const apply = losing.apply;
    losing.apply = (input) => ({ ...apply(input), positions: apply(input).positions.slice(1) });
    assert.throws(
      () => encodeSplit(tokenizer, sentences, labels, 16, losing),
      (e: Error & { code?: string }) => e.code === 'TRAIN_INPUT_TRANSFORM_BROKEN' && /losing/.test(e.message),
    );
  });
});
