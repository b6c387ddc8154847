import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import type { TaggedCorpus } from '@lookright/core';
import { dataPath } from '@lookright/test-support/fixtures';
import { loadCorpus, splitStats } from '../testing/load.js';
import { num, pairCounts, paragraphAt, readProvenance, rowOf, tableRows } from '../testing/provenance.js';
import { conll2000 } from './conll2000.js';

// Expected numbers come from $LOOKRIGHT_DATA_DIR/conll2000/PROVENANCE.md (read at test time).
describe('dataset:conll2000', () => {
  let provenance: string;
  let chunk: TaggedCorpus;

  before(async function () {
    provenance = readProvenance(dataPath(this, 'conll2000', 'PROVENANCE.md'));
    chunk = await loadCorpus(conll2000, { path: dirname(dataPath(this, 'conll2000', 'train.txt')) });
  });

  for (const [split, file] of [
    ['train', 'train.txt'],
    ['test', 'test.txt'],
  ] as const) {
    it(`${split}: sentences and tokens equal PROVENANCE; files carry its sha256`, () => {
      const row = rowOf(tableRows(provenance, 'file'), 'file', file);
      const stats = splitStats(chunk, split);
      assert.deepEqual([stats.sentences, stats.tokens], [num(row.sentences), num(row.tokens)]);
      assert.equal(chunk.files.find((f) => f.path.endsWith(`/${file}`))?.sha256, row.sha256);
    });
  }

  it('train chunk tag counts equal PROVENANCE (BIO kept as it is) and there is no dev split', () => {
    assert.deepEqual(splitStats(chunk, 'train').tagCounts, pairCounts(paragraphAt(provenance, '- Train tag counts:')));
    assert.equal(chunk.splits.dev, undefined);
    assert.equal(chunk.scheme, 'iob2');
  });

  it('devFromTrain holds out the last N training sentences; task pos reads column 2', async function () {
    const dir = dirname(dataPath(this, 'conll2000', 'train.txt'));
    const held = await loadCorpus(conll2000, { path: dir, devFromTrain: 1000 });
    const trainCount = num(rowOf(tableRows(provenance, 'file'), 'file', 'train.txt').sentences);
    assert.equal(held.splits.train?.length, trainCount - 1000);
    assert.equal(held.splits.dev?.length, 1000);
    assert.deepEqual(held.splits.dev?.[999].words, chunk.splits.train?.[trainCount - 1].words);
    const pos = await loadCorpus(conll2000, { path: dir, task: 'pos', limit: 200 });
    assert.equal(pos.scheme, 'none');
    assert.ok(pos.labels.includes('NN') && pos.labels.includes('DT'), pos.labels.join(' '));
  });
});
