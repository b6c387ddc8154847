import assert from 'node:assert/strict';
import { wordLevelTokenizerJson, wordVocabulary } from './word-level-tokenizer.js';
import { wordTokenizerFromJson } from './word-tokenizer.js';

describe('word-level tokenizer.json', () => {
  const sentences = [{ words: ['Corp', 'U.S.', 'name1', 'said'] }, { words: ['name12', 'Corp', 'corp'] }];

  it('lists the distinct words in code-unit order, whatever the sentence order', () => {
    const words = wordVocabulary(sentences);
    assert.deepEqual(words, ['Corp', 'U.S.', 'corp', 'name1', 'name12', 'said']);
    assert.deepEqual(wordVocabulary([...sentences].reverse()), words);
  });

  it('gives each known word one id after [PAD] 0 and [UNK] 1, any other word [UNK], and no sentence specials', () => {
    const tokenizer = wordTokenizerFromJson(wordLevelTokenizerJson(wordVocabulary(sentences)), {}, 'test');
    assert.equal(tokenizer.family.family, 'wordpiece');
    assert.deepEqual(tokenizer.encodeWords(['Corp', 'corp', 'U.S.', 'name12', 'name123', 'Inc']), [
      [2],
      [4],
      [3],
      [6],
      [1],
      [1],
    ]);
    assert.deepEqual(tokenizer.encodeJoined(['said', 'name1', 'zzz']), [7, 5, 1]);
    assert.equal(tokenizer.token(0), '[PAD]');
  });

  it('gives words named like Object.prototype members (constructor, toString, __proto__) their own ids', () => {
    const words = wordVocabulary([{ words: ['constructor', 'toString', '__proto__', 'said'] }]);
    const tokenizer = wordTokenizerFromJson(wordLevelTokenizerJson(words), {}, 'test');
    const ids = tokenizer.encodeWords(['__proto__', 'constructor', 'said', 'toString']).flat();
    assert.deepEqual(ids, [2, 3, 4, 5]);
  });
});
