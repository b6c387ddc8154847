import assert from 'node:assert/strict';
import type { LookrightError } from '@lookright/core';
import { dataPath } from '@lookright/test-support/fixtures';
import { alignSentence } from './align-sentence.js';
import { alignSplit } from './align-split.js';
import { splitWordTagPredictions, wordTagPredictions } from './word-predictions.js';
import { loadWordTokenizer, readTokenizerFiles, type WordTokenizer, wordTokenizerFromJson } from './word-tokenizer.js';

const LABELS = ['O', 'B-PER', 'I-PER', 'B-LOC'];
const WORDS = ['Nadim', 'Ladki', 'visited', 'Al-Ain', 'yesterday'];
const TAGS = ['B-PER', 'I-PER', 'O', 'B-LOC', 'O'];
const IDS = TAGS.map((t) => LABELS.indexOf(t));

describe('alignment: labels, truncation and the way back to words', () => {
  let bert: WordTokenizer;
  let gpt2: WordTokenizer;
  before(function () {
    bert = loadWordTokenizer(dataPath(this, 'tiny_checkpoints', 'lmbuddy_bert_tiniest'));
    gpt2 = loadWordTokenizer(dataPath(this, 'tiny_checkpoints', 'lmbuddy_fake_gpt2'));
  });

  it('labels first sub-words and ignores the rest and the special tokens', () => {
    const a = alignSentence(bert, WORDS, IDS, { maxLength: 128 });
    assert.equal(bert.token(a.inputIds[0]), '[CLS]');
    assert.equal(bert.token(a.inputIds[a.inputIds.length - 1]), '[SEP]');
    assert.ok(a.inputIds.length > WORDS.length + 2, 'some word has several sub-words');
    a.inputIds.forEach((_, p) => {
      const w = a.wordIds[p];
      const first = w >= 0 && a.wordStarts[w] === p;
      assert.equal(a.labels[p], first ? IDS[w] : -100, `position ${p}`);
    });
    assert.deepEqual(
      a.wordStarts.map((p) => a.wordIds[p]),
      [0, 1, 2, 3, 4],
    );
    assert.equal(bert.token(a.inputIds[a.wordStarts[3] + 1]), '-', 'Al-Ain splits at the hyphen');
  });

  it('labels every sub-word when asked', () => {
    const a = alignSentence(bert, WORDS, IDS, { maxLength: 128, labelAllSubwords: true, ignoreIndex: -1 });
    for (const [p, w] of a.wordIds.entries()) assert.equal(a.labels[p], w < 0 ? -1 : IDS[w]);
  });

  it('cuts sub-words at maxLength, keeps the special tokens and counts what it cut', () => {
    const full = alignSentence(bert, WORDS, IDS, { maxLength: 128 });
    const maxLength = full.wordStarts[3] + 2; // room up to the first sub-word of word 3, plus [SEP]
    const a = alignSentence(bert, WORDS, IDS, { maxLength });
    assert.equal(a.inputIds.length, maxLength);
    assert.equal(bert.token(a.inputIds[maxLength - 1]), '[SEP]');
    assert.deepEqual(a.inputIds.slice(0, -1), full.inputIds.slice(0, maxLength - 1));
    assert.deepEqual(a.wordStarts, [...full.wordStarts.slice(0, 4), -1]);
    assert.equal(a.truncatedWords, 1);
    assert.equal(a.truncatedLabels, 1);
    const all = alignSentence(bert, WORDS, IDS, { maxLength, labelAllSubwords: true });
    assert.equal(all.truncatedLabels, full.inputIds.length - maxLength);
    assert.throws(
      () => alignSentence(bert, WORDS, IDS, { maxLength: 2 }),
      (e: LookrightError) => e.code === 'TEXT_MAX_LENGTH_TOO_SMALL',
    );
  });

  it('maps predictions back to every word; truncated words are O and counted', () => {
    const a = alignSentence(gpt2, WORDS, IDS, { maxLength: 3 });
    assert.equal(gpt2.specials.prefix.length + gpt2.specials.suffix.length, 0, 'GPT-2 adds no special tokens');
    const predicted = a.inputIds.map(() => LABELS.indexOf('B-LOC'));
    const { tags, filledWithO } = wordTagPredictions(a, predicted, LABELS);
    assert.equal(tags.length, WORDS.length);
    const kept = a.wordStarts.filter((p) => p >= 0).length;
    assert.equal(filledWithO, WORDS.length - kept);
    assert.deepEqual(
      tags,
      a.wordStarts.map((p) => (p >= 0 ? 'B-LOC' : 'O')),
    );
    assert.ok(filledWithO > 0);
    assert.throws(
      () => wordTagPredictions(a, [0], LABELS),
      (e: LookrightError) => e.code === 'TEXT_PREDICTION_COUNT',
    );
    assert.throws(
      () =>
        wordTagPredictions(
          a,
          a.inputIds.map(() => 9),
          LABELS,
        ),
      (e: LookrightError) => e.code === 'TEXT_PREDICTED_LABEL_OUT_OF_RANGE',
    );
  });

  it('reports truncation per split and refuses tags outside the label set', () => {
    const sentences = [
      { words: WORDS, tags: TAGS, origin: 'dev.txt:1' },
      { words: ['Berlin'], tags: ['B-LOC'], origin: 'dev.txt:7' },
    ];
    const split = alignSplit(bert, sentences, LABELS, { maxLength: 5 });
    const cut = split.sentences[0].truncatedWords;
    assert.ok(cut > 0);
    assert.deepEqual(split.report, {
      sentences: 2,
      words: 6,
      truncatedSentences: 1,
      truncatedWords: cut,
      truncatedLabels: cut,
      emptyWords: 0,
    });
    const predictions = split.sentences.map((s) => s.inputIds.map(() => 0));
    const back = splitWordTagPredictions(split.sentences, predictions, LABELS);
    assert.deepEqual(
      back.tags.map((t) => t.length),
      [5, 1],
    );
    assert.equal(back.filledWithO, cut);
    assert.throws(
      () => alignSplit(bert, [{ words: ['x'], tags: ['B-ORG'], origin: 'dev.txt:9' }], LABELS, { maxLength: 8 }),
      (e: LookrightError) => e.code === 'TEXT_UNKNOWN_LABEL' && /dev\.txt:9/.test(e.message),
    );
  });

  it('takes BOS/EOS from add_bos_token/add_eos_token for Llama tokenizers, as transformers does', function () {
    const dir = dataPath(this, 'tiny_checkpoints', 'stories260K_hf');
    const stored = loadWordTokenizer(dir);
    const { json, config } = readTokenizerFiles(dir);
    const bos = stored.tokenizer.token_to_id('<s>');
    const eos = stored.tokenizer.token_to_id('</s>');
    assert.deepEqual(stored.specials, { prefix: [bos], suffix: [] });
    assert.deepEqual(stored.encodeJoined(['Hi'])[0], bos, 'the stored post_processor agrees');
    const both = wordTokenizerFromJson(json, { ...config, add_eos_token: true }, 'eos');
    assert.deepEqual(both.specials, { prefix: [bos], suffix: [eos] });
    const a = alignSentence(both, ['Hi', 'there'], [0, 0], { maxLength: 4 });
    assert.equal(a.inputIds[0], bos);
    assert.equal(a.inputIds[3], eos);
    assert.equal(a.labels[3], -100);
    const none = wordTokenizerFromJson(json, { ...config, add_bos_token: false }, 'none');
    assert.deepEqual(none.specials, { prefix: [], suffix: [] });
  });

  it('refuses a missing tokenizer and an unsupported one with typed errors', () => {
    assert.throws(
      () => loadWordTokenizer('/nonexistent'),
      (e: LookrightError) => e.code === 'TEXT_TOKENIZER_MISSING',
    );
    const wordLevel = {
      model: { type: 'WordLevel', vocab: { a: 0, '[UNK]': 1 }, unk_token: '[UNK]' },
      pre_tokenizer: { type: 'Whitespace' },
    };
    assert.throws(
      () => wordTokenizerFromJson(wordLevel, {}, 'wl/tokenizer.json'),
      (e: LookrightError) => e.code === 'TEXT_TOKENIZER_UNSUPPORTED' && e.message.startsWith('wl/tokenizer.json'),
    );
  });
});
