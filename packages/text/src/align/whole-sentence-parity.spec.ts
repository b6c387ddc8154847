import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dataPath } from '@lookright/test-support/fixtures';
import { alignSentence } from './align-sentence.js';
import { loadWordTokenizer, readTokenizerFiles, type WordTokenizer, wordTokenizerFromJson } from './word-tokenizer.js';

/** Words of each sentence of a CoNLL-2003 file: first column, -DOCSTART- and blank lines skipped. */
function conllWords(path: string): string[][] {
  const sentences: string[][] = [];
  let words: string[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('-DOCSTART-')) continue;
    if (line.trim() === '') {
      if (words.length) sentences.push(words);
      words = [];
    } else {
      words.push(line.split(' ')[0]);
    }
  }
  if (words.length) sentences.push(words);
  return sentences;
}

const TOKENIZERS = [
  { dir: 'stories260K_hf', family: 'sentencepiece' },
  { dir: 'lmbuddy_fake_gpt2', family: 'byte-level' },
  { dir: 'lmbuddy_bert_tiniest', family: 'wordpiece' },
] as const;

describe('word-by-word tokenization equals whole-sentence tokenization on all of CoNLL-2003 dev', () => {
  let sentences: string[][];
  before(function () {
    sentences = conllWords(dataPath(this, 'conll2003', 'eng.testa'));
  });

  /** Asserts parity on `sentences` and returns the number of ids. */
  function assertParity(tokenizer: WordTokenizer, sentences: string[][]): number {
    let subwords = 0;
    sentences.forEach((words, s) => {
      const joined = tokenizer.encodeJoined(words);
      const aligned = alignSentence(tokenizer, words, undefined, { maxLength: 100_000 });
      if (aligned.inputIds.length !== joined.length || aligned.inputIds.some((id, i) => id !== joined[i])) {
        assert.deepEqual(aligned.inputIds, joined, `sentence ${s + 1}: ${words.join(' ')}`);
      }
      assert.equal(aligned.truncatedWords + aligned.emptyWords, 0);
      subwords += aligned.inputIds.length;
    });
    return subwords;
  }

  for (const { dir, family } of TOKENIZERS) {
    it(`${dir} (${family})`, function () {
      const tokenizer = loadWordTokenizer(dataPath(this, 'tiny_checkpoints', dir));
      assert.equal(tokenizer.family.family, family);
      assert.equal(sentences.length, 3250);
      assert.ok(assertParity(tokenizer, sentences) > 51_362, 'at least one id per word');
    });
  }

  it('GPT-2 byte-level with add_prefix_space (every word bare)', function () {
    const { json, config } = readTokenizerFiles(dataPath(this, 'tiny_checkpoints', 'lmbuddy_fake_gpt2'));
    const pre = json.pre_tokenizer as Record<string, unknown>;
    json.pre_tokenizer = { ...pre, add_prefix_space: true };
    const tokenizer = wordTokenizerFromJson(json, { ...config, add_prefix_space: true }, 'gpt2 with prefix space');
    assert.deepEqual(tokenizer.family, { family: 'byte-level', wordEncoding: 'bare' });
    assert.equal(tokenizer.token(tokenizer.encodeWord('German', 0)[0]), 'ĠGerman');
    assertParity(tokenizer, sentences);
  });

  for (const prependScheme of ['always', 'first', 'never'] as const) {
    it(`SentencePiece through a Metaspace pre-tokenizer, prepend_scheme ${prependScheme}`, function () {
      const { json, config } = readTokenizerFiles(dataPath(this, 'tiny_checkpoints', 'stories260K_hf'));
      json.normalizer = null;
      json.pre_tokenizer = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: prependScheme, split: true };
      const tokenizer = wordTokenizerFromJson(json, config, `metaspace ${prependScheme}`);
      assert.equal(tokenizer.family.wordEncoding, prependScheme === 'never' ? 'space-after-first' : 'bare');
      assertParity(tokenizer, sentences.slice(0, 500));
    });
  }
});
