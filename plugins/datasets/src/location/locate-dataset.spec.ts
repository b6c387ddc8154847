import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LookrightError } from '@lookright/core';
import { conll2003 } from '../descriptors/conll2003.js';
import { taggedParquet, writeHubSnapshot } from '../testing/hub-cache.js';
import { loadCorpus } from '../testing/load.js';
import { tempDir } from '../testing/temp-files.js';
import { locateDataset } from './locate-dataset.js';

const request = {
  plugin: 'dataset:test',
  what: 'the test set (a.txt)',
  dataDirName: 'testset',
  missingIn: (dir: string) => (dir.endsWith('testset') || dir.endsWith('explicit') ? undefined : 'no a.txt'),
};

describe('locateDataset', () => {
  const tmp = tempDir('locate');
  after(() => tmp.remove());
  before(() => {
    tmp.write('data/testset/a.txt', 'x O\n');
    tmp.write('suite/explicit/a.txt', 'x O\n');
  });

  it('1. an explicit path, relative to the suite folder, wins', () => {
    const found = locateDataset(
      { ...request, path: 'explicit' },
      { baseDir: join(tmp.root, 'suite'), env: { LOOKRIGHT_DATA_DIR: join(tmp.root, 'data') } },
    );
    assert.deepEqual(found, { kind: 'folder', dir: join(tmp.root, 'suite', 'explicit'), via: 'path' });
  });

  it('a wrong explicit path is an error, never a silent fallback to LOOKRIGHT_DATA_DIR', () => {
    assert.throws(
      () =>
        locateDataset(
          { ...request, path: 'nowhere' },
          { baseDir: tmp.root, env: { LOOKRIGHT_DATA_DIR: join(tmp.root, 'data') } },
        ),
      (e: unknown) =>
        e instanceof LookrightError && e.code === 'DATASET_NOT_FOUND' && e.message.includes(join(tmp.root, 'nowhere')),
    );
  });

  it('2. LOOKRIGHT_DATA_DIR/<name>/ next', () => {
    const found = locateDataset(request, { baseDir: tmp.root, env: { LOOKRIGHT_DATA_DIR: join(tmp.root, 'data') } });
    assert.deepEqual(found, { kind: 'folder', dir: join(tmp.root, 'data', 'testset'), via: 'LOOKRIGHT_DATA_DIR' });
  });

  it('3. the hub snapshot in the HF cache last', () => {
    const cache = join(tmp.root, 'hf');
    const snapshot = writeHubSnapshot(cache, 'acme/testset', 'main', { 'train.parquet': new Uint8Array([1]) });
    const found = locateDataset(
      { ...request, hub: { repo: 'acme/testset', revision: 'main' } },
      { baseDir: tmp.root, env: { LOOKRIGHT_DATA_DIR: join(tmp.root, 'empty'), HF_HUB_CACHE: cache } },
    );
    assert.deepEqual(found, { kind: 'hub', snapshotDir: snapshot, ref: { repo: 'acme/testset', revision: 'main' } });
  });

  it('a missing dataset lists every place tried, in order, and how to fix it', () => {
    try {
      locateDataset(
        { ...request, hub: { repo: 'acme/absent', revision: 'main' } },
        { baseDir: tmp.root, env: { LOOKRIGHT_DATA_DIR: join(tmp.root, 'empty'), HF_HOME: join(tmp.root, 'hfhome') } },
      );
      assert.fail('expected DATASET_NOT_FOUND');
    } catch (e) {
      assert.ok(e instanceof LookrightError);
      assert.equal(e.code, 'DATASET_NOT_FOUND');
      const lines = e.message.split('\n');
      assert.ok(
        lines[1].includes(`1. LOOKRIGHT_DATA_DIR/testset: ${join(tmp.root, 'empty', 'testset')} (does not exist)`),
        e.message,
      );
      assert.ok(lines[2].includes(`2. acme/absent@main in the HF cache ${join(tmp.root, 'hfhome', 'hub')}`), e.message);
      assert.ok(
        e.hint?.includes('param path') &&
          e.hint.includes('LOOKRIGHT_DATA_DIR') &&
          e.hint.includes('huggingface-cli download'),
      );
    }
    assert.throws(() => locateDataset(request, { baseDir: tmp.root, env: {} }), /LOOKRIGHT_DATA_DIR is not set/);
  });

  it('dataset:conll2003 falls back to its hub repo in the cache (IOB2 names, DOCSTART rows dropped)', async () => {
    const cache = join(tmp.root, 'hf2');
    const names = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC', 'B-MISC', 'I-MISC'];
    const features = {
      info: { features: { ner_tags: { feature: { names, _type: 'ClassLabel' }, _type: 'Sequence' } } },
    };
    const rows = [
      { tokens: ['-DOCSTART-'], tags: [0n] },
      { tokens: ['Grace', 'Hopper', 'in', 'Arlington'], tags: [1n, 2n, 0n, 5n] },
    ];
    writeHubSnapshot(cache, 'eriktks/conll2003', 'refs/convert/parquet', {
      'conll2003/train/0000.parquet': taggedParquet(rows, 'ner_tags', features),
      'conll2003/validation/0000.parquet': taggedParquet(rows, 'ner_tags', features),
      'conll2003/test/0000.parquet': taggedParquet(rows, 'ner_tags', features),
    });
    const corpus = await loadCorpus(
      conll2003,
      {},
      { LOOKRIGHT_DATA_DIR: join(tmp.root, 'empty'), HF_HUB_CACHE: cache },
    );
    assert.deepEqual(
      corpus.splits.test?.map((s) => s.tags),
      [['B-PER', 'I-PER', 'O', 'B-LOC']],
    );
    assert.equal(corpus.files.length, 3);
  });
});
