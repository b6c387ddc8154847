import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { dataPath } from '@lookright/test-support/fixtures';
import { countPreTokens } from './byte-level.js';
import { byteLevelTokenizerJson } from './tokenizer-json.js';
import { trainBpe } from './train-bpe.js';

describe('byte-level BPE trained on Gutenberg', () => {
  it('loads in @huggingface/tokenizers, round-trips text and compresses it', function () {
    const text = readFileSync(join(dataPath(this, 'gutenberg_nltk'), 'carroll-alice.txt'), 'utf8');
    const model = trainBpe(countPreTokens(text), 400);
    assert.equal(model.merges.length, 400);
    const tokenizer = new Tokenizer(byteLevelTokenizerJson(model), {});
    const sample = text.slice(5000, 7000);
    const ids = tokenizer.encode(sample, { add_special_tokens: false }).ids;
    assert.equal(tokenizer.decode(ids, { skip_special_tokens: true }), sample);
    assert.ok(ids.length < new TextEncoder().encode(sample).length / 2.5, `${ids.length} ids for 2000 characters`);
    const unseen = 'Zürich, 1999 — naïve café!';
    assert.equal(tokenizer.decode(tokenizer.encode(unseen, { add_special_tokens: false }).ids, {}), unseen);
  });
});
