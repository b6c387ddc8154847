import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { dataPath } from '@lookright/test-support/fixtures';
import { loadCorpus } from '../testing/load.js';
import { readProvenance } from '../testing/provenance.js';
import { absa } from './absa.js';
import { ud } from './ud.js';

describe('dataset:ud and dataset:absa through LOOKRIGHT_DATA_DIR', () => {
  it('dataset:ud finds ud_english_ewt by its default name; UPOS gives the 17 labels PROVENANCE lists', async function () {
    const provenance = readProvenance(dataPath(this, 'ud_english_ewt', 'PROVENANCE.md'));
    const env = { LOOKRIGHT_DATA_DIR: dirname(dataPath(this, 'ud_english_ewt')) };
    const corpus = await loadCorpus(ud, { limit: 100 }, env);
    const listed = /UPOS label set \(17\): ([A-Z ]+)/.exec(provenance)?.[1].trim().split(' ');
    assert.equal(corpus.scheme, 'none');
    assert.equal(corpus.files.length, 3);
    assert.equal(corpus.splits.train?.length, 100);
    assert.ok(listed && corpus.labels.every((l) => listed.includes(l)), corpus.labels.join(' '));
    const xpos = await loadCorpus(ud, { tagset: 'xpos', limit: 100 }, env);
    assert.ok(xpos.labels.includes('NN') && !xpos.labels.includes('NOUN'));
  });

  it('dataset:absa rest14 gives the 7 BIO sentiment labels and reports the ASPECT0 line as a warning', async function () {
    const env = { LOOKRIGHT_DATA_DIR: dirname(dataPath(this, 'semeval_absa')) };
    const corpus = await loadCorpus(absa, { subset: 'rest14' }, env);
    assert.deepEqual(corpus.labels, ['O', 'B-NEG', 'I-NEG', 'B-NEU', 'I-NEU', 'B-POS', 'I-POS']);
    assert.ok(
      corpus.warnings.some((w) => /rest14\/train\.txt:\d+: upstream placeholder/.test(w)),
      corpus.warnings.join('\n'),
    );
    const aspect = await loadCorpus(absa, { subset: 'laptop14', labels: 'aspect' }, env);
    assert.deepEqual(aspect.labels, ['O', 'B-ASP', 'I-ASP']);
    assert.equal(aspect.name, 'absa-laptop14-aspect');
  });
});
