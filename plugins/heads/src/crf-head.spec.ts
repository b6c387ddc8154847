import assert from 'node:assert/strict';
import { SeededRng } from '@lookright/core';
import { useCpuBackend } from '@lookright/engine/testing';
import * as tf from '@tensorflow/tfjs-core';
import { allowedTransitions, firstForbiddenStep } from './crf/tag-transitions.js';
import type { ChainScores } from './crf/viterbi.js';
import { CrfHead } from './crf-head.js';

const labels = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC'];

/** Every label path of `length`, by counting in base `k`. */
function allPaths(k: number, length: number): number[][] {
  const out: number[][] = [];
  for (let n = 0; n < k ** length; n++) {
    const path: number[] = [];
    let rest = n;
    for (let t = 0; t < length; t++) {
      path.push(rest % k);
      rest = Math.floor(rest / k);
    }
    out.push(path);
  }
  return out;
}

function pathScore(path: number[], emissions: number[][], chain: ChainScores): number {
  let s = chain.start[path[0]] + chain.end[path[path.length - 1]];
  path.forEach((l, t) => {
    s += emissions[t][l];
    if (t > 0) s += chain.transitions[path[t - 1]][l];
  });
  return s;
}

/** A head whose emissions equal the hidden states (identity weight, zero bias), so a test can set them directly. */
function headWithIdentityEmissions(constrained: boolean): CrfHead {
  const head = new CrfHead(
    { hiddenSize: labels.length, labels, scheme: 'iob2', dropout: 0.1, rng: new SeededRng(7) },
    constrained,
  );
  const [weight, bias] = head.variables();
  weight.assign(tf.eye(labels.length));
  bias.assign(tf.zeros([labels.length]));
  return head;
}

describe('head:crf', () => {
  before(useCpuBackend);

  it('allows exactly the IOB2 transitions', () => {
    const allowed = allowedTransitions(labels, 'iob2');
    assert.deepEqual(allowed.start, [true, true, false, true, false]);
    assert.equal(allowed.pair[0][2], false, 'O -> I-PER');
    assert.equal(allowed.pair[1][4], false, 'B-PER -> I-LOC');
    assert.equal(allowed.pair[1][2], true, 'B-PER -> I-PER');
    assert.equal(allowed.pair[2][2], true, 'I-PER -> I-PER');
    assert.equal(allowed.pair[2][3], true, 'I-PER -> B-LOC');
  });

  it('decodes a valid sequence where unconstrained Viterbi emits an invalid one', async () => {
    // Per word the emissions favour O, I-PER, B-PER, I-LOC: two IOB2 violations (O -> I-PER, B-PER -> I-LOC).
    const emissions = [
      [3, 0, 0, 0, 0],
      [0, 0.5, 2, 0, 0],
      [0, 2, 0, 0, 0],
      [0, 0, 0, 0.6, 2],
    ];
    const hidden = tf.tensor3d([emissions]);
    const scored = { positions: [[0, 1, 2, 3]] };
    const allowed = allowedTransitions(labels, 'iob2');

    const free = headWithIdentityEmissions(false);
    const freePath = (await free.decode(hidden, scored))[0];
    assert.notEqual(firstForbiddenStep(freePath, allowed), -1, `unconstrained path ${freePath} should be invalid`);

    const head = headWithIdentityEmissions(true);
    const path = (await head.decode(hidden, scored))[0];
    assert.equal(firstForbiddenStep(path, allowed), -1, `constrained path ${path} must be valid IOB2`);
    const chain = await head.chainScores();
    const best = allPaths(labels.length, 4)
      .filter((p) => firstForbiddenStep(p, allowed) === -1)
      .reduce((a, b) => (pathScore(b, emissions, chain) > pathScore(a, emissions, chain) ? b : a));
    assert.deepEqual(path, best, 'Viterbi equals the best valid path found by enumeration');
    for (const h of [free, head]) h.dispose();
    hidden.dispose();
  });

  for (const constrained of [false, true]) {
    it(`loss equals brute-force enumeration (constrained: ${constrained})`, async () => {
      const rng = new SeededRng(3);
      const k = labels.length;
      const lengths = [3, 2];
      const emissions = lengths.map(() => Array.from({ length: 3 }, () => Array.from(rng.uniform(k, -2, 2))));
      const gold = [
        [1, 2, 0],
        [3, 4],
      ];
      const head = headWithIdentityEmissions(constrained);
      const hidden = tf.tensor3d(emissions);
      const positions = lengths.map((n) => Array.from({ length: n }, (_, i) => i));
      const loss = head.loss(hidden, { positions, labels: gold }, null);
      const chain = await head.chainScores();
      const allowed = allowedTransitions(labels, constrained ? 'iob2' : 'none');
      const expected =
        lengths
          .map((n, b) => {
            const scores = allPaths(k, n)
              .filter((p) => firstForbiddenStep(p, allowed) === -1)
              .map((p) => pathScore(p, emissions[b], chain));
            const top = Math.max(...scores);
            const logZ = top + Math.log(scores.reduce((s, x) => s + Math.exp(x - top), 0));
            return logZ - pathScore(gold[b], emissions[b], chain);
          })
          .reduce((a, b) => a + b) / lengths.length;
      assert.ok(
        Math.abs(loss.dataSync()[0] - expected) < 1e-4,
        `loss ${loss.dataSync()[0]} vs brute force ${expected}`,
      );
      const grads = tf.variableGrads(() => head.loss(hidden, { positions, labels: gold }, 11));
      for (const g of Object.values(grads.grads)) assert.ok(Array.from(g.dataSync()).every(Number.isFinite));
      tf.dispose([loss, hidden, ...Object.values(grads.grads), grads.value]);
      head.dispose();
    });
  }

  it('refuses a gold path the scheme forbids, naming the sentence', () => {
    const head = headWithIdentityEmissions(true);
    const hidden = tf.zeros([1, 2, labels.length]) as tf.Tensor3D;
    assert.throws(
      () => head.loss(hidden, { positions: [[0, 1]], labels: [[0, 2]] }, null),
      (e: Error & { code?: string }) => e.code === 'TRAIN_INVALID_GOLD_PATH' && /O I-PER/.test(e.message),
    );
    head.dispose();
    hidden.dispose();
  });
});
