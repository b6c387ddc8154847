import assert from 'node:assert/strict';
import { bidirectional } from '@lookright/core';
import { alignSentence, loadWordTokenizer } from '@lookright/text';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { dataPath } from '@lookright/test-support/fixtures';
import { type BertBackbone, bertBackbone } from './bert-backbone.js';

describe('backbone:bert with its tokenizer.json (through @lookright/text)', () => {
  it('lmbuddy_bert_tiniest: WordPiece ids with [CLS]/[SEP], first sub-words aligned, and the encoder runs them', async function () {
    const dir = dataPath(this, 'tiny_checkpoints', 'lmbuddy_bert_tiniest');
    await tf.setBackend('cpu');
    const backbone = (await bertBackbone.create(
      { model: dir },
      { baseDir: process.cwd(), env: process.env, log: () => {} },
    )) as BertBackbone;
    const tokenizer = loadWordTokenizer(backbone.modelDir);
    const words = ['EU', 'rejects', 'German', 'call', 'to', 'boycott', 'British', 'lamb', '.'];
    const aligned = alignSentence(tokenizer, words, [1, 0, 2, 0, 0, 0, 2, 0, 0], { maxLength: 32 });
    assert.equal(tokenizer.token(aligned.inputIds[0]), '[CLS]');
    assert.equal(tokenizer.token(aligned.inputIds[aligned.inputIds.length - 1]), '[SEP]');
    assert.equal(tokenizer.token(aligned.inputIds[aligned.wordStarts[0]]), 'eu', 'uncased WordPiece lower-cases');
    assert.deepEqual(aligned.inputIds, tokenizer.encodeJoined(words), 'word by word equals the whole sentence');
    assert.ok(aligned.inputIds.every((id) => id >= 0 && id < backbone.config.vocabSize));

    const model = await backbone.load();
    const ids = tf.tensor2d([aligned.inputIds], undefined, 'int32');
    const mask = tf.onesLike(ids) as tf.Tensor2D;
    const out = model.forward(ids, mask, [bidirectional]);
    const starts = tf.gather(out.lastHiddenState, aligned.wordStarts, 1);
    assert.deepEqual(starts.shape, [1, words.length, backbone.config.hiddenSize]);
    assert.ok(Array.from(starts.dataSync()).every(Number.isFinite));
    tf.dispose([ids, mask, out.lastHiddenState, starts]);
    model.dispose();
  });
});
