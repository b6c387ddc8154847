import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { dataPath } from '@lookright/test-support/fixtures';
import { taggedParquet, writeHubSnapshot } from '../testing/hub-cache.js';
import { loadCorpus } from '../testing/load.js';
import { tempDir } from '../testing/temp-files.js';
import { conll2003 } from './conll2003.js';
import { hub } from './hub.js';

describe('dataset:hub round trip on real data', () => {
  const tmp = tempDir('hub-roundtrip');
  after(() => tmp.remove());

  it('CoNLL-2003 dev written as int64 ClassLabel parquet reads back identical through dataset:hub', async function () {
    const local = await loadCorpus(conll2003, { path: dirname(dataPath(this, 'conll2003', 'eng.testa')) });
    const dev = local.splits.dev ?? [];
    const ids = new Map(local.labels.map((l, i) => [l, BigInt(i)]));
    const rows = dev.map((s) => ({ tokens: s.words, tags: s.tags.map((t) => ids.get(t) ?? -1n) }));
    const features = {
      info: { features: { ner_tags: { feature: { names: local.labels, _type: 'ClassLabel' }, _type: 'Sequence' } } },
    };
    const cache = join(tmp.root, 'hub');
    writeHubSnapshot(cache, 'acme/conll2003-copy', 'main', {
      'data/validation-00000-of-00001.parquet': taggedParquet(rows, 'ner_tags', features),
    });
    const fromHub = await loadCorpus(hub, { repo: 'acme/conll2003-copy' }, { HF_HUB_CACHE: cache });
    assert.equal(fromHub.splits.dev?.length, dev.length);
    assert.deepEqual(
      fromHub.splits.dev?.map((s) => [s.words, s.tags]),
      dev.map((s) => [s.words, s.tags]),
    );
    assert.deepEqual(fromHub.labels, local.labels);
  });
});
