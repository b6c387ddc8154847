import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LookrightError } from '@lookright/core';
import fc from 'fast-check';
import { parsePredictions, readPredictionFile } from './prediction-file.js';

function failsAt(text: string, code: string, location: RegExp): void {
  assert.throws(
    () => parsePredictions(text, 'p.txt'),
    (e: LookrightError) => e instanceof LookrightError && e.code === code && location.test(e.message) && !!e.hint,
  );
}

describe('prediction file reader', () => {
  it('splits sentences at blank lines and at -X- lines, keeps -DOCSTART- as a token like conlleval', () => {
    const file = parsePredictions('-DOCSTART- O O\n\nA B-X B-X\nb I-X O\n-X- O O\nc O B-Y\n\n\n', 'p.txt');
    assert.deepEqual(
      file.sentences.map((s) => [s.words, s.gold, s.pred, s.lines]),
      [
        [['-DOCSTART-'], ['O'], ['O'], [1]],
        [
          ['A', 'b'],
          ['B-X', 'I-X'],
          ['B-X', 'O'],
          [3, 4],
        ],
        [['c'], ['O'], ['B-Y'], [6]],
      ],
    );
  });

  it('takes the last two of any number of columns and accepts tabs between them', () => {
    const file = parsePredictions('A NN\tB-NP I-X B-X\n', 'p.txt');
    assert.deepEqual(file.sentences[0].gold, ['I-X']);
    assert.deepEqual(file.sentences[0].pred, ['B-X']);
  });

  it('reads plain tags (POS) when asked, and still names file:line for bad lines', () => {
    const file = parsePredictions('What PRON ADV\nif SCONJ SCONJ\n\nGo VERB VERB\n', 'p.txt', 'plain');
    assert.deepEqual(
      file.sentences.map((s) => [s.gold, s.pred]),
      [
        [
          ['PRON', 'SCONJ'],
          ['ADV', 'SCONJ'],
        ],
        [['VERB'], ['VERB']],
      ],
    );
    assert.throws(() => parsePredictions('What PRON\nif SCONJ SCONJ\n', 'p.txt', 'plain'), /p\.txt:2: 3 columns/);
  });

  it('names file:line for every kind of bad input', () => {
    failsAt('a O O\nb O\n', 'TEXT_PREDICTIONS_BAD_LINE', /p\.txt:2: 2 columns/);
    failsAt('a O O\r\nb O O\r\n', 'TEXT_PREDICTIONS_BAD_LINE', /p\.txt:1: .*CR/);
    failsAt('a O O\n\nb B-X X-Y\n', 'TEXT_PREDICTIONS_BAD_LINE', /p\.txt:3: predicted tag "X-Y"/);
    failsAt('a O O\nb B O\n', 'TEXT_PREDICTIONS_BAD_LINE', /p\.txt:2: gold tag "B"/);
    failsAt('lonely\n', 'TEXT_PREDICTIONS_BAD_LINE', /p\.txt:1: 1 column/);
    failsAt('\n\n', 'TEXT_PREDICTIONS_EMPTY', /p\.txt holds no tokens/);
  });

  it('refuses Latin-1 bytes, naming the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookright-pred-'));
    const path = join(dir, 'latin1.txt');
    writeFileSync(
      path,
      Buffer.concat([Buffer.from('a O O\n'), Buffer.from([0x4d, 0xfc, 0x6c]), Buffer.from(' O O\n')]),
    );
    assert.throws(
      () => readPredictionFile(path),
      (e: LookrightError) => e.code === 'TEXT_PREDICTIONS_BAD_LINE' && e.message.includes(`${path}:2`),
    );
    assert.throws(
      () => readPredictionFile(join(dir, 'missing.txt')),
      (e: LookrightError) => e.code === 'TEXT_PREDICTIONS_UNREADABLE' && /ENOENT/.test(e.message),
    );
  });

  it('gives only typed errors or whole results on arbitrary input (fuzz)', () => {
    const piece = fc.constantFrom('a', 'O', 'B-X', 'I-Y', 'E-Z', 'S-', 'B', ' ', '\t', '\n', '\r', '-X-', '-', 'é');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        try {
          const file = parsePredictions(text, 'fuzz.txt');
          for (const s of file.sentences) {
            assert.equal(s.gold.length, s.pred.length);
            assert.ok(s.gold.length > 0);
          }
        } catch (error) {
          assert.ok(error instanceof LookrightError, String(error));
          assert.match(error.message, /fuzz\.txt/);
        }
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
