import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LookrightError } from '@lookright/core';
import { taggedParquet, writeHubSnapshot } from '../testing/hub-cache.js';
import { loadCorpus } from '../testing/load.js';
import { tempDir } from '../testing/temp-files.js';
import { hub } from './hub.js';

// A made-up three-split NER set; ids index the names below.
const names = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];
const train = [
  { tokens: ['Ada', 'Lovelace', 'wrote'], tags: [1n, 2n, 0n] },
  { tokens: ['-DOCSTART-'], tags: [0n] },
  { tokens: ['in', 'London'], tags: [0n, 3n] },
];
const validation = [{ tokens: ['Paris'], tags: [3n] }];
const test = [{ tokens: ['Alan', 'Turing'], tags: [1n, 2n] }];

const readme = [
  '---',
  'dataset_info:',
  '  features:',
  '  - name: id',
  '    dtype: string',
  '  - name: tokens',
  '    sequence: string',
  '  - name: ner_tags',
  '    sequence:',
  '      class_label:',
  '        names:',
  ...names.map((n, i) => `          '${i}': ${n}`),
  '---',
  '# tiny',
].join('\n');

const featuresJson = { ner_tags: { feature: { names, _type: 'ClassLabel' }, _type: 'Sequence' } };

async function expectCode(promise: Promise<unknown>, code: string, ...parts: string[]): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof LookrightError, String(e));
    assert.equal(e.code, code, e.message);
    for (const p of parts) assert.ok(e.message.includes(p), `${p} missing from ${e.message}`);
    return true;
  });
}

describe('dataset:hub', () => {
  const tmp = tempDir('hub');
  const cache = join(tmp.root, 'hub');
  const env = { HF_HUB_CACHE: cache };
  after(() => tmp.remove());

  before(() => {
    writeHubSnapshot(cache, 'acme/tiny-ner', 'main', {
      'README.md': readme,
      'data/train-00000-of-00001.parquet': taggedParquet(train),
      'data/validation-00000-of-00001.parquet': taggedParquet(validation),
      'data/test-00000-of-00001.parquet': taggedParquet(test),
    });
  });

  it('reads a cached snapshot: int64 ids named from README dataset_info, validation as dev, DOCSTART rows dropped', async () => {
    const corpus = await loadCorpus(hub, { repo: 'acme/tiny-ner' }, env);
    assert.deepEqual(
      corpus.splits.train?.map((s) => [s.words, s.tags]),
      [
        [
          ['Ada', 'Lovelace', 'wrote'],
          ['B-PER', 'I-PER', 'O'],
        ],
        [
          ['in', 'London'],
          ['O', 'B-LOC'],
        ],
      ],
    );
    assert.deepEqual(corpus.splits.dev?.[0].tags, ['B-LOC']);
    assert.deepEqual(corpus.splits.test?.[0].tags, ['B-PER', 'I-PER']);
    assert.equal(corpus.files.length, 3);
    assert.ok(corpus.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256)));
    assert.ok(corpus.splits.train?.[0].origin?.endsWith('train-00000-of-00001.parquet row 0'));
  });

  it('takes ClassLabel names from dataset_infos.json, else from the parquet huggingface metadata', async () => {
    writeHubSnapshot(cache, 'acme/infos', 'main', {
      'dataset_infos.json': JSON.stringify({ default: { features: featuresJson } }),
      'train.parquet': taggedParquet(test),
    });
    const fromInfos = await loadCorpus(hub, { repo: 'acme/infos' }, env);
    assert.deepEqual(fromInfos.splits.train?.[0].tags, ['B-PER', 'I-PER']);

    writeHubSnapshot(cache, 'acme/meta', 'main', {
      'train.parquet': taggedParquet(test, 'ner_tags', { info: { features: featuresJson } }),
    });
    const fromMeta = await loadCorpus(hub, { repo: 'acme/meta' }, env);
    assert.deepEqual(fromMeta.splits.train?.[0].tags, ['B-PER', 'I-PER']);
  });

  it('reads the refs/convert/parquet layout with a config folder, string tags and mapped columns', async () => {
    writeHubSnapshot(cache, 'acme/converted', 'refs/convert/parquet', {
      'default/train/0000.parquet': taggedParquet([{ tokens: ['big', 'cat'], tags: ['B-NP', 'I-NP'] }], 'chunks'),
      'other/train/0000.parquet': taggedParquet([{ tokens: ['x'], tags: ['O'] }], 'chunks'),
    });
    const params = {
      repo: 'acme/converted',
      revision: 'refs/convert/parquet',
      columns: { words: 'tokens', tags: 'chunks' },
    };
    await expectCode(loadCorpus(hub, params, env), 'DATASET_HUB_NO_PARQUET', 'several configs', 'default, other');
    const corpus = await loadCorpus(hub, { ...params, config: 'default' }, env);
    assert.deepEqual(corpus.splits.train?.[0].tags, ['B-NP', 'I-NP']);
    assert.deepEqual(corpus.labels, ['B-NP', 'I-NP']);
  });

  it('param labelNames overrides the metadata', async () => {
    const corpus = await loadCorpus(hub, { repo: 'acme/tiny-ner', labelNames: ['O', 'B-A', 'I-A', 'B-B', 'I-B'] }, env);
    assert.deepEqual(corpus.splits.test?.[0].tags, ['B-A', 'I-A']);
  });

  it('an id beyond the names, a missing column and missing names are typed errors naming the file', async () => {
    await expectCode(
      loadCorpus(hub, { repo: 'acme/tiny-ner', labelNames: ['O', 'B-PER'] }, env),
      'DATASET_HUB_ROW',
      'row 0',
      'below 2',
    );
    await expectCode(
      loadCorpus(hub, { repo: 'acme/tiny-ner', columns: { words: 'tokens', tags: 'pos_tags' } }, env),
      'DATASET_HUB_COLUMN',
      'pos_tags',
      'id, tokens, ner_tags',
    );
    writeHubSnapshot(cache, 'acme/nameless', 'main', { 'test.parquet': taggedParquet(test) });
    await expectCode(
      loadCorpus(hub, { repo: 'acme/nameless' }, env),
      'DATASET_HUB_LABEL_NAMES',
      'dataset_infos.json',
      'README.md',
    );
  });

  it('a tag that breaks the scheme is an error naming file and row', async () => {
    writeHubSnapshot(cache, 'acme/badtag', 'main', {
      'train.parquet': taggedParquet([{ tokens: ['a'], tags: ['PER'] }]),
    });
    await expectCode(loadCorpus(hub, { repo: 'acme/badtag' }, env), 'DATASET_HUB_ROW', 'train.parquet row 0', 'IOB2');
  });

  it('a corrupt parquet file is a typed error', async () => {
    writeHubSnapshot(cache, 'acme/corrupt', 'main', {
      'train.parquet': new TextEncoder().encode('not parquet at all'),
    });
    await expectCode(loadCorpus(hub, { repo: 'acme/corrupt' }, env), 'DATASET_HUB_METADATA', 'train.parquet');
  });
});
