import assert from 'node:assert/strict';
import { SeededRng } from '@lookright/core';
import { IGNORE_INDEX, maskedCrossEntropy } from '@lookright/engine';
import { useCpuBackend } from '@lookright/engine/testing';
import * as tf from '@tensorflow/tfjs-core';
import { LinearHead } from './linear-head.js';

describe('head:linear', () => {
  before(useCpuBackend);

  it('cross-entropy averages over positions not labelled -100 only', () => {
    const logits = [
      [
        [2, 0, -1],
        [0.5, 0.5, 3],
        [9, 9, 9],
      ],
    ];
    const labels = [[0, 2, IGNORE_INDEX]];
    const nll = (row: number[], gold: number) => Math.log(row.reduce((s, x) => s + Math.exp(x), 0)) - row[gold];
    const expected = (nll(logits[0][0], 0) + nll(logits[0][1], 2)) / 2;
    const loss = maskedCrossEntropy(tf.tensor3d(logits), tf.tensor2d(labels, undefined, 'int32'));
    assert.ok(Math.abs(loss.dataSync()[0] - expected) < 1e-6);
    const changed = logits.map((s) => s.map((r, i) => (i === 2 ? [-50, 70, 1] : r)));
    const same = maskedCrossEntropy(tf.tensor3d(changed), tf.tensor2d(labels, undefined, 'int32'));
    assert.equal(same.dataSync()[0], loss.dataSync()[0], 'an ignored position has no influence');
  });

  it('decodes the argmax label at each scored position and trains toward the gold labels', async () => {
    const head = new LinearHead({
      hiddenSize: 4,
      labels: ['O', 'B-X', 'I-X'],
      scheme: 'iob2',
      dropout: 0.1,
      rng: new SeededRng(1),
    });
    const hidden = tf.tensor3d([
      [
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
      ],
    ]);
    const target = { positions: [[0, 2]], labels: [[1, 2]] };
    const before = head.loss(hidden, target, null).dataSync()[0];
    for (let step = 0; step < 50; step++) {
      const { value, grads } = tf.variableGrads(() => head.loss(hidden, target, step));
      for (const v of head.variables()) v.assign(tf.sub(v, tf.mul(0.5, grads[v.name])));
      tf.dispose([value, ...Object.values(grads)]);
    }
    assert.ok(head.loss(hidden, target, null).dataSync()[0] < before / 4);
    assert.deepEqual(await head.decode(hidden, { positions: [[0, 2]] }), [[1, 2]]);
    head.dispose();
  });
});
