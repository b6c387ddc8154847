import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { LookrightError } from '@lookright/core';
import { dataPath, fixturePath } from '@lookright/test-support/fixtures';
import { bioesToIob2, convertTags, iob1ToIob2, iob2ToBioes, iob2ToIoe } from './convert.js';
import { spansFromTags } from './spans.js';
import { parseTag, toTagScheme } from './tag.js';
import { assertTagsInScheme, findSchemeViolation, isValidInScheme } from './validate.js';

/** Sentences of one column of a space-separated column file, skipping -DOCSTART- lines. */
function readColumn(path: string, column: (fields: string[]) => string): string[][] {
  const sentences: string[][] = [];
  let current: string[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('-DOCSTART-')) continue;
    if (line.trim() === '') {
      if (current.length) sentences.push(current);
      current = [];
      continue;
    }
    current.push(column(line.split(' ')));
  }
  if (current.length) sentences.push(current);
  return sentences;
}

describe('tag schemes', () => {
  it('parses tags and rejects malformed ones with a typed error', () => {
    assert.deepEqual(parseTag('B-PER'), { prefix: 'B', type: 'PER' });
    assert.deepEqual(parseTag('I-B-X'), { prefix: 'I', type: 'B-X' });
    assert.deepEqual(parseTag('O'), { prefix: 'O', type: '' });
    for (const bad of ['B', 'X-PER', 'b-PER', 'O-PER', '', 'B-']) {
      assert.throws(
        () => parseTag(bad, 'f.txt:3'),
        (e: LookrightError) => e.code === 'TEXT_BAD_TAG' && /f\.txt:3/.test(e.message),
      );
    }
    assert.equal(toTagScheme('IOB2'), 'iob2');
    assert.throws(
      () => toTagScheme('bilou'),
      (e: LookrightError) => e.code === 'TEXT_UNKNOWN_SCHEME',
    );
  });

  it('reads chunks leniently: lone I- opens a chunk, a type change closes one', () => {
    assert.deepEqual(spansFromTags(['I-PER', 'I-PER', 'O', 'I-LOC', 'B-LOC', 'I-ORG']), [
      { type: 'PER', start: 0, end: 2 },
      { type: 'LOC', start: 3, end: 4 },
      { type: 'LOC', start: 4, end: 5 },
      { type: 'ORG', start: 5, end: 6 },
    ]);
    assert.deepEqual(spansFromTags(['B-X', 'E-X', 'S-X', 'S-X']), [
      { type: 'X', start: 0, end: 2 },
      { type: 'X', start: 2, end: 3 },
      { type: 'X', start: 3, end: 4 },
    ]);
  });

  it('converts between schemes', () => {
    const iob1 = ['I-PER', 'I-PER', 'B-PER', 'O', 'I-LOC', 'I-ORG', 'O'];
    const iob2 = ['B-PER', 'I-PER', 'B-PER', 'O', 'B-LOC', 'B-ORG', 'O'];
    assert.deepEqual(iob1ToIob2(iob1), iob2);
    assert.deepEqual(convertTags(iob2, 'iob2', 'iob1'), iob1);
    const bioes = ['B-PER', 'E-PER', 'S-PER', 'O', 'S-LOC', 'S-ORG', 'O'];
    assert.deepEqual(iob2ToBioes(iob2), bioes);
    assert.deepEqual(bioesToIob2(bioes), iob2);
    assert.deepEqual(iob2ToIoe(iob2), ['I-PER', 'E-PER', 'E-PER', 'O', 'E-LOC', 'E-ORG', 'O']);
    assert.deepEqual(convertTags(['B-X', 'I-X', 'I-X'], 'iob2', 'bioes'), ['B-X', 'I-X', 'E-X']);
  });

  it('finds the first tag that breaks a scheme', () => {
    assert.deepEqual(findSchemeViolation(['O', 'I-PER'], 'iob2'), { index: 1, tag: 'I-PER', expected: 'B-PER' });
    assert.deepEqual(findSchemeViolation(['O', 'B-PER'], 'iob1'), { index: 1, tag: 'B-PER', expected: 'I-PER' });
    assert.equal(findSchemeViolation(['I-PER', 'B-PER'], 'iob1'), undefined);
    assert.deepEqual(findSchemeViolation(['B-X', 'I-X'], 'bioes'), { index: 1, tag: 'I-X', expected: 'E-X' });
    assert.equal(isValidInScheme(['B-X', 'I-X', 'E-X', 'S-Y'], 'bioes'), true);
    assert.equal(isValidInScheme(['B-X', 'I-Y'], 'iob2'), false);
    assert.equal(isValidInScheme(['B-X', 'Z'], 'iob2'), false);
    assert.throws(
      () => assertTagsInScheme(['O', 'I-PER'], 'iob2', 'train.txt:10'),
      (e: LookrightError) => e.code === 'TEXT_TAG_NOT_IN_SCHEME' && /train\.txt:10/.test(e.message),
    );
  });

  it('turns CoNLL-2003 dev IOB1 into the IOB2 gold of the metrics fixtures', function () {
    const testa = dataPath(this, 'conll2003', 'eng.testa');
    const iob2File = fixturePath(this, 'metrics', 'ner_testa_iob2_light.txt');
    const iob1Sentences = readColumn(testa, (f) => f[3]);
    const iob2Sentences = readColumn(iob2File, (f) => f[f.length - 2]);
    assert.equal(iob1Sentences.length, iob2Sentences.length);
    iob1Sentences.forEach((iob1, i) => {
      assert.equal(isValidInScheme(iob1, 'iob1'), true, `sentence ${i} is not valid IOB1`);
      const iob2 = iob1ToIob2(iob1);
      assert.deepEqual(iob2, iob2Sentences[i], `sentence ${i}`);
      assert.equal(isValidInScheme(iob2, 'iob2'), true);
      assert.deepEqual(bioesToIob2(iob2ToBioes(iob2)), iob2);
      assert.deepEqual(convertTags(iob2ToIoe(iob2), 'ioe', 'iob2'), iob2);
      assert.deepEqual(convertTags(iob2, 'iob2', 'iob1'), iob1);
    });
  });
});
