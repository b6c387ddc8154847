import assert from 'node:assert/strict';
import { LookrightError } from '@lookright/core';
import { dataPath } from '@lookright/test-support/fixtures';
import { readTextFile, type TextFile } from '../io/text-file.js';
import { num, paragraphAt, readProvenance, rowOf, splitCounts, tableRows } from '../testing/provenance.js';
import { type ColumnLayout, readColumnFile } from './column-reader.js';

function fileOf(text: string): TextFile {
  return {
    path: 'mem.txt',
    sha256: '',
    lines: text.split('\n').filter((_, i, all) => i < all.length - 1 || all[i] !== ''),
  };
}

const conllLayout: ColumnLayout = {
  wordColumn: 0,
  tagColumn: 3,
  columns: 4,
  separator: 'space',
  scheme: 'iob1',
  docstart: true,
};

function expectError(fn: () => unknown, code: string, ...parts: string[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof LookrightError, `not a LookrightError: ${String(e)}`);
    assert.equal(e.code, code, e.message);
    for (const p of parts) assert.ok(e.message.includes(p), `${JSON.stringify(p)} missing from: ${e.message}`);
    assert.ok(e.hint, 'every reader error has a hint');
    return true;
  });
}

describe('readColumnFile', () => {
  it('splits sentences at blank lines and skips -DOCSTART- lines', () => {
    const out = readColumnFile(
      fileOf('-DOCSTART- -X- O O\n\nAnna NNP B-NP I-PER\nsings VBZ B-VP O\n\n\nBern NNP B-NP I-LOC\n'),
      conllLayout,
    );
    assert.equal(out.documents, 1);
    assert.deepEqual(
      out.sentences.map((s) => [s.words, s.tags, s.origin]),
      [
        [['Anna', 'sings'], ['I-PER', 'O'], 'mem.txt:3'],
        [['Bern'], ['I-LOC'], 'mem.txt:7'],
      ],
    );
  });

  it('a -DOCSTART- line without a blank line before it still ends the sentence', () => {
    const out = readColumnFile(fileOf('Anna NNP B-NP I-PER\n-DOCSTART- -X- O O\nBern NNP B-NP I-LOC\n'), conllLayout);
    assert.deepEqual(
      out.sentences.map((s) => s.words),
      [['Anna'], ['Bern']],
    );
  });

  it('refuses a wrong column count, naming file:line', () => {
    expectError(
      () => readColumnFile(fileOf('Anna NNP B-NP I-PER\nsings VBZ O\n'), conllLayout),
      'DATASET_COLUMN_COUNT',
      'mem.txt:2',
      'expected 4',
    );
  });

  it('without a fixed count, the first token line fixes it', () => {
    const layout = { ...conllLayout, columns: undefined, tagColumn: -1 };
    expectError(
      () => readColumnFile(fileOf('a B-X\nb c O\n'), layout),
      'DATASET_COLUMN_COUNT',
      'mem.txt:2',
      'expected 2',
    );
  });

  it('refuses a file without a tag column, even when its words would pass as tags (scheme none)', () => {
    const layout = { ...conllLayout, columns: undefined, tagColumn: -1, scheme: 'none' as const };
    expectError(
      () => readColumnFile(fileOf('EU\nrejects\n'), layout),
      'DATASET_COLUMN_COUNT',
      'mem.txt:1',
      'separate tag column',
    );
  });

  it('refuses an unknown tag', () => {
    expectError(
      () => readColumnFile(fileOf('Anna NNP B-NP PER\n'), conllLayout),
      'DATASET_UNKNOWN_TAG',
      'mem.txt:1',
      '"PER"',
      'IOB1',
    );
    const closed = { ...conllLayout, labels: ['O', 'I-PER'] };
    expectError(
      () => readColumnFile(fileOf('Anna NNP B-NP I-PERS\n'), closed),
      'DATASET_UNKNOWN_TAG',
      'one of O, I-PER',
    );
  });

  it('refuses a stray tab in a space-separated file', () => {
    expectError(
      () => readColumnFile(fileOf('Anna NNP\tB-NP I-PER\n'), conllLayout),
      'DATASET_STRAY_CHARACTER',
      'mem.txt:1:9',
      'tab',
    );
  });

  it('refuses trailing spaces and whitespace-only lines with the space separator', () => {
    expectError(() => readColumnFile(fileOf('Anna NNP B-NP I-PER \n'), conllLayout), 'DATASET_BAD_LINE', 'mem.txt:1');
    expectError(
      () => readColumnFile(fileOf('Anna NNP B-NP I-PER\n  \n'), conllLayout),
      'DATASET_BAD_LINE',
      'mem.txt:2',
    );
  });

  it('reads an OntoNotes-style aligned file with the whitespace separator and comment lines', () => {
    const text =
      '#begin document (nw/x); part 000\nThe    DT  O\nUnited NNP B-GPE\nStates NNP I-GPE\n\n#end document\n';
    const layout: ColumnLayout = {
      wordColumn: 0,
      tagColumn: -1,
      separator: 'whitespace',
      scheme: 'iob2',
      docstart: true,
      commentPrefix: '#',
    };
    const out = readColumnFile(fileOf(text), layout);
    assert.equal(out.comments, 2);
    assert.deepEqual(out.sentences[0].tags, ['O', 'B-GPE', 'I-GPE']);
  });

  it('reads an ACE05-trigger-style tab file whose types hold colons and dashes', () => {
    const text = 'troops\tO\nattacked\tB-Conflict:Attack\nthe\tO\ncity\tO\n\nshe\tO\nwas\tO\nborn\tB-Life:Be-Born\n';
    const layout: ColumnLayout = { wordColumn: 0, tagColumn: 1, separator: 'tab', scheme: 'iob2', docstart: false };
    const out = readColumnFile(fileOf(text), layout);
    assert.deepEqual(out.sentences[1].tags, ['O', 'O', 'B-Life:Be-Born']);
  });

  it('reads the raw IOB1 tag counts and documents of eng.train that PROVENANCE lists', function () {
    const provenance = readProvenance(dataPath(this, 'conll2003', 'PROVENANCE.md'));
    const out = readColumnFile(readTextFile(dataPath(this, 'conll2003', 'eng.train')), conllLayout);
    const counts: Record<string, number> = {};
    for (const s of out.sentences) for (const t of s.tags) counts[t] = (counts[t] ?? 0) + 1;
    assert.deepEqual(counts, splitCounts(paragraphAt(provenance, 'Token tag counts:'), 'train'));
    assert.equal(out.documents, num(rowOf(tableRows(provenance, 'file'), 'file', 'eng.train').documents));
  });
});
