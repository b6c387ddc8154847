import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LookrightError } from '@lookright/core';
import { dataPath } from '@lookright/test-support/fixtures';
import { readTextFile, type TextFile } from '../io/text-file.js';
import { num, paragraphAt, readProvenance, rowOf, splitCounts, tableRows } from '../testing/provenance.js';
import { absaToBio, readAbsaFile } from './absa-reader.js';

function fileOf(lines: string[]): TextFile {
  return { path: 'mem.txt', sha256: '', lines };
}

describe('readAbsaFile', () => {
  it('splits on the first #### and takes each tag after the last =', () => {
    const out = readAbsaFile(fileOf(['a = b####a=O ==O b=T-POS c=T-POS d=T-NEG']), 'sentiment');
    assert.deepEqual(out.sentences[0].words, ['a', '=', 'b', 'c', 'd']);
    assert.deepEqual(out.sentences[0].tags, ['O', 'O', 'B-POS', 'I-POS', 'B-NEG']);
    assert.equal(out.sentences[0].origin, 'mem.txt:1');
  });

  it('aspect mode merges adjacent polarities into one run, as the usual ATE conversion does', () => {
    assert.deepEqual(absaToBio(['O', 'T-POS', 'T-NEG', 'O', 'T-NEU'], 'aspect'), ['O', 'B-ASP', 'I-ASP', 'O', 'B-ASP']);
    assert.deepEqual(absaToBio(['O', 'T-POS', 'T-NEG', 'O', 'T-NEU'], 'sentiment'), [
      'O',
      'B-POS',
      'B-NEG',
      'O',
      'B-NEU',
    ]);
  });

  it('reports ASPECT0 placeholders as warnings with file:line and keeps the sentence', () => {
    const out = readAbsaFile(fileOf(['x####ok=O', 'free software####freeASPECT0=O']), 'sentiment');
    assert.equal(out.sentences.length, 2);
    assert.equal(out.warnings.length, 1);
    assert.ok(out.warnings[0].startsWith('mem.txt:2: '), out.warnings[0]);
  });

  const broken: [string, string, string][] = [
    ['no #### separator', 'just text', 'DATASET_BAD_LINE'],
    ['an unknown tag', 'x####x=T-POSITIVE', 'DATASET_UNKNOWN_TAG'],
    ['a token without =', 'x####x', 'DATASET_BAD_LINE'],
    ['a double space (empty token)', 'x y####x=O  y=O', 'DATASET_BAD_LINE'],
    ['a stray tab', 'x y####x=O\ty=O', 'DATASET_STRAY_CHARACTER'],
    ['no tokens', 'x####', 'DATASET_BAD_LINE'],
  ];
  for (const [what, line, expected] of broken) {
    it(`refuses ${what} with file:line`, () => {
      assert.throws(
        () => readAbsaFile(fileOf(['ok####ok=O', line]), 'sentiment'),
        (e: unknown) => e instanceof LookrightError && e.code === expected && e.message.includes('mem.txt:2'),
      );
    });
  }

  for (const split of ['train', 'dev', 'test'] as const) {
    it(`rest14 ${split}: sentences, tokens, aspect runs and aspect sentences equal PROVENANCE`, function () {
      const provenance = readProvenance(dataPath(this, 'semeval_absa', 'PROVENANCE.md'));
      const expected = rowOf(tableRows(provenance, 'file'), 'file', `rest14/${split}.txt`);
      const out = readAbsaFile(readTextFile(dataPath(this, 'semeval_absa', 'rest14', `${split}.txt`)), 'sentiment');
      const tokens = out.sentences.reduce((n, s) => n + s.words.length, 0);
      const runs = out.sentences.reduce((n, s) => n + s.tags.filter((t) => t.startsWith('B-')).length, 0);
      const withAspect = out.sentences.filter((s) => s.tags.some((t) => t !== 'O')).length;
      assert.deepEqual(
        [out.sentences.length, tokens, runs, withAspect],
        [expected.sentences, expected.tokens, expected['aspect runs*'], expected['sentences with ≥1 aspect']].map(num),
      );
    });
  }

  it('rest14 train and test token tag counts equal PROVENANCE', function () {
    const provenance = readProvenance(dataPath(this, 'semeval_absa', 'PROVENANCE.md'));
    const paragraph = paragraphAt(provenance, '- rest14 ');
    for (const split of ['train', 'test'] as const) {
      const out = readAbsaFile(readTextFile(dataPath(this, 'semeval_absa', 'rest14', `${split}.txt`)), 'sentiment');
      const counts: Record<string, number> = {};
      for (const s of out.sentences)
        for (const t of s.tags)
          counts[t === 'O' ? 'O' : `T-${t.slice(2)}`] = (counts[t === 'O' ? 'O' : `T-${t.slice(2)}`] ?? 0) + 1;
      assert.deepEqual(counts, splitCounts(paragraph, split));
    }
  });

  it('finds the ASPECT0 lines PROVENANCE counts across all sets, without crashing', function () {
    const provenance = readProvenance(dataPath(this, 'semeval_absa', 'PROVENANCE.md'));
    const expected = Number(/(\d+) lines have `ASPECT0`/.exec(provenance)?.[1]);
    const root = dataPath(this, 'semeval_absa');
    const lines = new Set<string>();
    for (const set of readdirSync(root).filter((n) => !n.endsWith('.md'))) {
      for (const split of ['train', 'dev', 'test']) {
        const out = readAbsaFile(readTextFile(join(root, set, `${split}.txt`)), 'sentiment');
        for (const w of out.warnings) lines.add(w.slice(0, w.indexOf(': ')));
      }
    }
    assert.equal(lines.size, expected);
  });
});
