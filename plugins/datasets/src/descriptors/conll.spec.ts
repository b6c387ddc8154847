import assert from 'node:assert/strict';
import { LookrightError } from '@lookright/core';
import { loadCorpus } from '../testing/load.js';
import { tempDir } from '../testing/temp-files.js';
import { conll } from './conll.js';

// Small made-up files in the layouts users bring: ACE05 triggers (tab, types with ':' and '-'), OntoNotes NER
// (aligned columns, comment lines, BIOES), IOB1 with -DOCSTART-.
describe('dataset:conll (user-supplied column files)', () => {
  const tmp = tempDir('conll');
  after(() => tmp.remove());

  it('reads an ACE05-trigger tab file from an explicit path', async () => {
    tmp.write(
      'ace/train.tsv',
      'troops\tNNS\tO\nattacked\tVBD\tB-Conflict:Attack\n\nshe\tPRP\tO\nwas\tVBD\tO\nborn\tVBN\tB-Life:Be-Born\n',
    );
    tmp.write('ace/test.tsv', 'he\tPRP\tO\nresigned\tVBD\tB-Personnel:End-Position\n');
    const corpus = await loadCorpus(conll, {
      path: `${tmp.root}/ace`,
      files: { train: 'train.tsv', test: 'test.tsv' },
      separator: 'tab',
      name: 'ace05-triggers',
    });
    assert.equal(corpus.name, 'ace05-triggers');
    assert.deepEqual(
      corpus.splits.train?.map((s) => s.tags),
      [
        ['O', 'B-Conflict:Attack'],
        ['O', 'O', 'B-Life:Be-Born'],
      ],
    );
    assert.deepEqual(corpus.labels, ['O', 'B-Conflict:Attack', 'B-Life:Be-Born', 'B-Personnel:End-Position']);
    assert.equal(corpus.files.length, 2);
  });

  it('reads an OntoNotes-style BIOES file found under LOOKRIGHT_DATA_DIR/<name>/, skipping comment lines', async () => {
    const text =
      '#begin document (nw/wsj/00/0001); part 000\nThe    DT   O\nUnited NNP  B-GPE\nStates NNPS E-GPE\nsaid   VBD  O\n\n#end document\n';
    tmp.write('data/onto/dev.conll', text);
    const corpus = await loadCorpus(
      conll,
      { name: 'onto', files: { dev: 'dev.conll' }, separator: 'whitespace', scheme: 'bioes', commentPrefix: '#' },
      { LOOKRIGHT_DATA_DIR: `${tmp.root}/data` },
    );
    assert.equal(corpus.scheme, 'bioes');
    assert.deepEqual(corpus.splits.dev?.[0].tags, ['O', 'B-GPE', 'E-GPE', 'O']);
  });

  it('converts IOB1 to IOB2 and skips -DOCSTART-', async () => {
    tmp.write('iob1/train.txt', '-DOCSTART- O\n\nAda I-PER\nLovelace I-PER\nBabbage B-PER\n');
    const corpus = await loadCorpus(conll, { path: `${tmp.root}/iob1`, files: { train: 'train.txt' }, scheme: 'iob1' });
    assert.deepEqual(
      corpus.splits.train?.map((s) => s.tags),
      [['B-PER', 'I-PER', 'B-PER']],
    );
  });

  const bad: [string, string, string, string][] = [
    ['an empty split', '\n\n', 'DATASET_EMPTY_SPLIT', 'train split'],
    ['CR LF line endings', 'Ada B-PER\r\n', 'DATASET_CRLF', 'train.txt:1'],
    ['a Latin-1 byte', 'Ada B-PER\nZ\xfcrich B-LOC\n', 'DATASET_NOT_UTF8', 'train.txt:2'],
    ['a stray tab', 'Ada B-PER\nBern\tB-LOC\n', 'DATASET_STRAY_CHARACTER', 'train.txt:2'],
    ['a wrong column count', 'Ada B-PER\nBern NNP B-LOC\n', 'DATASET_COLUMN_COUNT', 'train.txt:2'],
    ['an unknown tag', 'Ada B-PER\nBern LOC\n', 'DATASET_UNKNOWN_TAG', 'train.txt:2'],
  ];
  for (const [what, body, code, where] of bad) {
    it(`refuses ${what}: ${code} naming ${where}`, async () => {
      const dir = tmp.write(`bad-${code}/train.txt`, Buffer.from(body, 'latin1')).replace(/\/train\.txt$/, '');
      await assert.rejects(loadCorpus(conll, { path: dir, files: { train: 'train.txt' } }), (e: unknown) => {
        assert.ok(e instanceof LookrightError, String(e));
        assert.equal(e.code, code, e.message);
        assert.ok(e.message.includes(where), e.message);
        return true;
      });
    });
  }

  it('a missing file is DATASET_NOT_FOUND naming the folder and the file', async () => {
    await assert.rejects(
      loadCorpus(conll, { path: tmp.root, files: { train: 'absent.txt' } }),
      (e: unknown) =>
        e instanceof LookrightError && e.code === 'DATASET_NOT_FOUND' && e.message.includes('no absent.txt'),
    );
  });
});
