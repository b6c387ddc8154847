import assert from 'node:assert/strict';
import type { LookrightError } from '@lookright/core';
import { conllevalCounts } from './conlleval-counts.js';
import { type EvaluationOptions, evaluateTags, evaluateWordTags } from './evaluate.js';
import { fixed2 } from './perl-printf.js';
import { strictSpans } from './strict-spans.js';
import { tokenAccuracy } from './token-accuracy.js';

const one = (gold: string[], pred: string[]) => [{ gold, pred }];
const at = (i: number) => `t${i}`;

describe('span scorers: the places where readings part', () => {
  it('conlleval does not end a chunk at E-X B-X or S-X S-X; seqeval default does', () => {
    const tags = ['B-MISC', 'E-MISC', 'B-MISC', 'E-MISC'];
    assert.equal(conllevalCounts(one(tags, tags)).overall.gold, 1);
    assert.equal(evaluateTags(one(tags, tags), { mode: 'default' }).counts.gold, 2);
    assert.equal(conllevalCounts(one(['S-X', 'S-X'], ['S-X', 'S-X'])).overall.gold, 1);
    assert.equal(evaluateTags(one(['S-X', 'S-X'], ['S-X', 'S-X']), { mode: 'default' }).counts.gold, 2);
  });

  it('strict IOB2 drops chunks an I- opens; lenient scorers keep them', () => {
    assert.deepEqual(strictSpans(['O', 'I-X', 'B-Y', 'I-X', 'B-X', 'O', 'I-X'], 'iob2', at), [
      { type: 'Y', start: 2, end: 3 },
      { type: 'X', start: 4, end: 5 },
    ]);
    const gold = ['B-X', 'I-X', 'O'];
    const pred = ['I-X', 'I-X', 'O'];
    const strict: EvaluationOptions = { mode: 'strict', scheme: 'iob2' };
    assert.equal(evaluateTags(one(gold, pred), { mode: 'default' }).f1, 1);
    assert.equal(evaluateTags(one(gold, pred), strict).f1, 0);
  });

  it('strict IOB1 starts a chunk at B-X only after X, else at the next I-X', () => {
    assert.deepEqual(strictSpans(['O', 'B-X', 'I-X', 'I-X', 'B-X'], 'iob1', at), [
      { type: 'X', start: 2, end: 4 },
      { type: 'X', start: 4, end: 5 },
    ]);
    assert.deepEqual(strictSpans(['B-X'], 'iob1', at), []);
  });

  it('strict BIOES and IOE need a proper end', () => {
    assert.deepEqual(strictSpans(['B-X', 'I-X', 'E-X', 'S-Y', 'B-X', 'I-X', 'O'], 'bioes', at), [
      { type: 'X', start: 0, end: 3 },
      { type: 'Y', start: 3, end: 4 },
    ]);
    assert.deepEqual(strictSpans(['I-X', 'E-X', 'E-Y', 'I-X', 'O'], 'ioe', at), [
      { type: 'X', start: 0, end: 2 },
      { type: 'Y', start: 2, end: 3 },
    ]);
    assert.throws(
      () => strictSpans(['B-X', 'E-X'], 'iob2', at),
      (e: LookrightError) => e.code === 'TEXT_TAG_NOT_ALLOWED' && /t1/.test(e.message),
    );
  });

  it('names the line of a tag the strict scheme refuses', () => {
    const sentences = [{ gold: ['S-X'], pred: ['O'], lines: [12] }];
    assert.throws(
      () => evaluateTags(sentences, { mode: 'strict', scheme: 'iob2' }, 'pred.txt'),
      (e: LookrightError) => e.code === 'TEXT_TAG_NOT_ALLOWED' && e.message.startsWith('pred.txt:12'),
    );
    assert.throws(
      () => evaluateTags([{ gold: ['O'], pred: [] }], { mode: 'default' }),
      (e: LookrightError) => e.code === 'TEXT_LENGTH_MISMATCH',
    );
  });

  it('rounds exact half-way values to even, as printf does', () => {
    assert.equal(fixed2(0.125), '0.12');
    assert.equal(fixed2(0.375), '0.38');
    assert.equal(fixed2(12.625), '12.62');
    assert.equal(fixed2(1.005), '1.00'); // 1.005 is below the tie in binary
    assert.equal(fixed2(66.66666666666667), '66.67');
  });

  it('token accuracy counts equal tag strings over all tokens', () => {
    assert.equal(tokenAccuracy([['NN', 'VB'], ['DT']], [['NN', 'NN'], ['DT']]), 2 / 3);
    assert.throws(
      () => tokenAccuracy([['NN']], [[]]),
      (e: LookrightError) => e.code === 'TEXT_LENGTH_MISMATCH',
    );
  });

  it('scores word predictions against gold sentences, naming the sentence on a count mismatch', () => {
    const gold = [{ tags: ['B-PER', 'I-PER', 'O'], origin: 'dev.txt:4' }];
    const report = evaluateWordTags(gold, [['B-PER', 'I-PER', 'O']], { mode: 'strict', scheme: 'iob2' });
    assert.deepEqual([report.precision, report.recall, report.f1, report.accuracy], [1, 1, 1, 1]);
    assert.throws(
      () => evaluateWordTags(gold, [['B-PER']], { mode: 'default' }),
      (e: LookrightError) => e.code === 'TEXT_LENGTH_MISMATCH' && e.message.startsWith('dev.txt:4'),
    );
  });
});
