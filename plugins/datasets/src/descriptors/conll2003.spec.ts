import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import type { TaggedCorpus } from '@lookright/core';
import { dataPath } from '@lookright/test-support/fixtures';
import { loadCorpus, splitStats } from '../testing/load.js';
import { num, paragraphAt, readProvenance, rowOf, splitCounts, tableRows } from '../testing/provenance.js';
import { conll2003 } from './conll2003.js';

// Expected numbers come from $LOOKRIGHT_DATA_DIR/conll2003/PROVENANCE.md (read at test time, never pasted here).
const splitFile = { train: 'eng.train', dev: 'eng.testa', test: 'eng.testb' } as const;

describe('dataset:conll2003', () => {
  let provenance: string;
  let ner: TaggedCorpus;

  before(async function () {
    provenance = readProvenance(dataPath(this, 'conll2003', 'PROVENANCE.md'));
    const dir = dirname(dataPath(this, 'conll2003', 'eng.train'));
    ner = await loadCorpus(conll2003, { task: 'ner', path: dir });
  });

  for (const split of ['train', 'dev', 'test'] as const) {
    it(`${split}: sentences, tokens and entities equal PROVENANCE`, () => {
      const row = rowOf(tableRows(provenance, 'file'), 'file', splitFile[split]);
      const stats = splitStats(ner, split);
      assert.equal(stats.sentences, num(row.sentences));
      assert.equal(stats.tokens, num(row.tokens));
      assert.equal(stats.spanTotal, num(row.entities));
    });

    it(`${split}: entities per type equal PROVENANCE (IOB1 -> IOB2 conversion)`, () => {
      const expected = splitCounts(paragraphAt(provenance, 'Entities per type:'), split);
      assert.deepEqual(splitStats(ner, split).spans, expected);
    });
  }

  it('files are listed with the sha256 PROVENANCE gives', () => {
    const rows = tableRows(provenance, 'file');
    assert.equal(ner.files.length, 3);
    for (const f of ner.files) {
      const name = f.path.slice(f.path.lastIndexOf('/') + 1);
      assert.equal(f.sha256, rowOf(rows, 'file', name).sha256, name);
    }
  });

  it('is IOB2: every I-X follows B-X or I-X, and -DOCSTART- is never a word', () => {
    assert.equal(ner.scheme, 'iob2');
    for (const sentences of Object.values(ner.splits)) {
      for (const s of sentences) {
        assert.ok(!s.words.includes('-DOCSTART-'), s.origin);
        s.tags.forEach((tag, i) => {
          if (tag.startsWith('I-')) assert.ok(i > 0 && s.tags[i - 1].slice(2) === tag.slice(2), s.origin);
        });
      }
    }
    assert.deepEqual(ner.labels, ['O', 'B-LOC', 'I-LOC', 'B-MISC', 'I-MISC', 'B-ORG', 'I-ORG', 'B-PER', 'I-PER']);
  });

  it('task chunk reads column 3 with the same sentences', async function () {
    const chunk = await loadCorpus(conll2003, {
      task: 'chunk',
      path: dirname(dataPath(this, 'conll2003', 'eng.train')),
      limit: 50,
    });
    assert.equal(chunk.splits.dev?.length, 50);
    assert.deepEqual(chunk.splits.dev?.[0].words, ner.splits.dev?.[0].words);
    assert.ok(chunk.labels.includes('B-NP') && chunk.labels.includes('I-NP'));
    assert.ok(chunk.warnings.some((w) => w.includes('limited to the first 50')));
  });
});
