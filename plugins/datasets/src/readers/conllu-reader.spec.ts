import assert from 'node:assert/strict';
import { LookrightError } from '@lookright/core';
import { dataPath } from '@lookright/test-support/fixtures';
import { readTextFile, type TextFile } from '../io/text-file.js';
import { num, pairCounts, paragraphAt, readProvenance, rowOf, tableRows } from '../testing/provenance.js';
import { readConlluFile } from './conllu-reader.js';

const row = (...fields: string[]) => fields.join('\t');
const tok = (id: string, form: string, upos: string, xpos: string) =>
  row(id, form, '_', upos, xpos, '_', '_', '_', '_', '_');

function fileOf(lines: string[]): TextFile {
  return { path: 'mem.conllu', sha256: '', lines };
}

// "I don't know" with a multiword token (do + n't) and an empty node after word 4.
const sample = [
  '# newdoc id = d1',
  '# sent_id = s1',
  "# text = I don't know.",
  tok('1', 'I', 'PRON', 'PRP'),
  row('2-3', "don't", '_', '_', '_', '_', '_', '_', '_', '_'),
  tok('2', 'do', 'AUX', 'VBP'),
  tok('3', "n't", 'PART', 'RB'),
  tok('4', 'know', 'VERB', 'VB'),
  row('4.1', 'know', 'know', 'VERB', 'VB', '_', '_', '_', '0:root', '_'),
  tok('5', '.', 'PUNCT', '.'),
  '',
];

describe('readConlluFile', () => {
  it('keeps syntactic words only: range lines and empty nodes are counted, not tagged', () => {
    const out = readConlluFile(fileOf(sample), 'upos');
    assert.deepEqual(out.sentences[0].words, ['I', 'do', "n't", 'know', '.']);
    assert.deepEqual(out.sentences[0].tags, ['PRON', 'AUX', 'PART', 'VERB', 'PUNCT']);
    assert.equal(out.sentences[0].origin, 'mem.conllu:4');
    assert.deepEqual([out.documents, out.multiwordTokens, out.emptyNodes], [1, 1, 1]);
    assert.deepEqual(readConlluFile(fileOf(sample), 'xpos').sentences[0].tags, ['PRP', 'VBP', 'RB', 'VB', '.']);
  });

  const broken: [string, string[], string, string][] = [
    [
      'a wrong column count',
      [tok('1', 'I', 'PRON', 'PRP').replace('\t_\t_\t_\t_', '\t_\t_')],
      'DATASET_COLUMN_COUNT',
      ':1',
    ],
    ['an unknown UPOS', [tok('1', 'I', 'PRONOUN', 'PRP')], 'DATASET_UNKNOWN_TAG', ':1'],
    ['a skipped word id', [tok('1', 'I', 'PRON', 'PRP'), tok('3', 'x', 'X', 'X')], 'DATASET_BAD_LINE', ':2'],
    [
      'a range not followed by its words',
      [row('1-2', 'im', '_', '_', '_', '_', '_', '_', '_', '_'), tok('1', 'i', 'X', 'X'), ''],
      'DATASET_BAD_LINE',
      ':3',
    ],
    [
      'an empty node out of place',
      [tok('1', 'I', 'PRON', 'PRP'), row('3.1', 'x', '_', 'X', 'X', '_', '_', '_', '_', '_')],
      'DATASET_BAD_LINE',
      ':2',
    ],
    ['a comment inside a sentence', [tok('1', 'I', 'PRON', 'PRP'), '# note'], 'DATASET_BAD_LINE', ':2'],
  ];
  for (const [what, lines, expectedCode, at] of broken) {
    it(`refuses ${what} with file:line`, () => {
      assert.throws(
        () => readConlluFile(fileOf(lines), 'upos'),
        (e: unknown) => e instanceof LookrightError && e.code === expectedCode && e.message.includes(`mem.conllu${at}`),
      );
    });
  }

  it("refuses XPOS '_' when XPOS is the task", () => {
    assert.throws(() => readConlluFile(fileOf([tok('1', 'I', 'PRON', '_')]), 'xpos'), /DATASET_UNKNOWN_TAG|XPOS/);
  });

  for (const [split, name] of [
    ['train', 'en_ewt-ud-train.conllu'],
    ['dev', 'en_ewt-ud-dev.conllu'],
    ['test', 'en_ewt-ud-test.conllu'],
  ] as const) {
    it(`UD EWT ${split}: docs, sentences, words, range lines, empty nodes and UPOS counts equal PROVENANCE`, function () {
      const provenance = readProvenance(dataPath(this, 'ud_english_ewt', 'PROVENANCE.md'));
      const expected = rowOf(tableRows(provenance, 'file'), 'file', name);
      const out = readConlluFile(readTextFile(dataPath(this, 'ud_english_ewt', name)), 'upos');
      const words = out.sentences.reduce((n, s) => n + s.words.length, 0);
      assert.deepEqual(
        [out.documents, out.sentences.length, words, out.multiwordTokens, out.emptyNodes],
        [
          expected.docs,
          expected.sentences,
          expected['syntactic words'],
          expected['multiword-token lines'],
          expected['empty nodes'],
        ].map(num),
      );
      const counts: Record<string, number> = {};
      for (const s of out.sentences) for (const t of s.tags) counts[t] = (counts[t] ?? 0) + 1;
      assert.deepEqual(counts, pairCounts(paragraphAt(provenance, `- ${split}:`)));
    });
  }
});
