import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LookrightError } from '@lookright/core';
import { type FakeHub, startFakeHub } from '@lookright/test-support/fake-hub';
import { conll2003 } from '../descriptors/conll2003.js';
import { taggedParquet } from '../testing/hub-cache.js';
import { createSource } from '../testing/load.js';
import { tempDir } from '../testing/temp-files.js';

const TOKEN = 'hf_fake_secret_token_0123456789';
const COMMIT = 'c0ffee'.padEnd(40, '0');
const names = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC', 'B-MISC', 'I-MISC'];
const features = { info: { features: { ner_tags: { feature: { names, _type: 'ClassLabel' }, _type: 'Sequence' } } } };
const rows = [
  { tokens: ['-DOCSTART-'], tags: [0n] },
  { tokens: ['Grace', 'Hopper', 'in', 'Arlington'], tags: [1n, 2n, 0n, 5n] },
];

describe('dataset download from the hub into the HF cache', () => {
  const tmp = tempDir('hub-download');
  let hub: FakeHub;
  before(async () => {
    const parquet = taggedParquet(rows, 'ner_tags', features);
    hub = await startFakeHub(
      {
        kind: 'dataset',
        repo: 'eriktks/conll2003',
        commit: COMMIT,
        revisions: ['refs/convert/parquet'],
        files: {
          'README.md': '---\nlicense: other\n---\n',
          'conll2003/train/0000.parquet': parquet,
          'conll2003/validation/0000.parquet': parquet,
          'conll2003/test/0000.parquet': parquet,
          'notes.txt': 'not a data file',
        },
      },
      TOKEN,
    );
  });
  after(async () => {
    await hub.close();
    tmp.remove();
  });

  const env = (cache: string, extra: Record<string, string> = {}) => ({
    LOOKRIGHT_DATA_DIR: join(tmp.root, 'empty'),
    HF_HUB_CACHE: cache,
    HF_ENDPOINT: hub.url,
    HF_TOKEN: TOKEN,
    ...extra,
  });

  it('dataset:conll2003 downloads its parquet files when nowhere else, then loads from the cache alone', async () => {
    const cache = join(tmp.root, 'cache');
    const log: string[] = [];
    const corpus = await createSource(conll2003, {}, env(cache), log).load();
    assert.deepEqual(
      corpus.splits.test?.map((s) => s.tags),
      [['B-PER', 'I-PER', 'O', 'B-LOC']],
    );
    const repoDir = join(cache, 'datasets--eriktks--conll2003');
    assert.equal(readFileSync(join(repoDir, 'refs', 'refs', 'convert', 'parquet'), 'utf8'), COMMIT);
    assert.ok(existsSync(join(repoDir, 'snapshots', COMMIT, 'conll2003', 'test', '0000.parquet')));
    assert.ok(!existsSync(join(repoDir, 'snapshots', COMMIT, 'notes.txt')), 'only parquet and label metadata');
    assert.ok(log.some((l) => l.includes(`download of eriktks/conll2003@refs/convert/parquet from ${hub.url}`)));
    assert.ok(!log.join('\n').includes(TOKEN), 'the token is never logged');

    const seen = hub.requests.length;
    const again = await createSource(conll2003, {}, env(cache), []).load();
    assert.deepEqual(again.splits.test, corpus.splits.test);
    assert.equal(hub.requests.length, seen, 'a cached revision asks the hub nothing');
  });

  it('HF_HUB_OFFLINE=1 asks the hub nothing and says so in the not-found error', async () => {
    const seen = hub.requests.length;
    await assert.rejects(
      createSource(conll2003, {}, env(join(tmp.root, 'offline'), { HF_HUB_OFFLINE: '1' })).load(),
      (e: unknown) =>
        e instanceof LookrightError &&
        e.code === 'DATASET_NOT_FOUND' &&
        /not tried, HF_HUB_OFFLINE is set/.test(e.message),
    );
    assert.equal(hub.requests.length, seen);
  });

  it('a refused download is one more line of DATASET_NOT_FOUND, with the token never shown', async () => {
    const wrong = `${TOKEN}x`;
    await assert.rejects(
      createSource(conll2003, {}, env(join(tmp.root, 'refused'), { HF_TOKEN: wrong })).load(),
      (e: unknown) => {
        assert.ok(e instanceof LookrightError && e.code === 'DATASET_NOT_FOUND', String(e));
        assert.match(
          e.message,
          /3\. download of eriktks\/conll2003@refs\/convert\/parquet from http:\/\/127\.0\.0\.1:\d+: /,
        );
        assert.ok(!`${e.message}${e.hint}`.includes(wrong));
        return true;
      },
    );
  });
});
