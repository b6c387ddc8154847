import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aggregate, compareTo } from './aggregate.js';
import type { ResultRow } from './report-data.js';
import { holmAdjust } from './statistics.js';

/**
 * A predictions file of 100 three-word sentences, one gold PER span each (word 0): the first `right` sentences
 * predict it, the rest predict LOC there, and the first `extra` sentences also predict two spurious LOC spans.
 * Micro F1 = 2·right / (100 + 2·extra + 100).
 */
function predictions(dir: string, name: string, right: number, extra = 0): string {
  const path = join(dir, `${name}.conll`);
  const sentence = (i: number) =>
    [
      `w0 B-PER ${i < right ? 'B-PER' : 'B-LOC'}`,
      `w1 O ${i < extra ? 'B-LOC' : 'O'}`,
      `w2 O ${i < extra ? 'B-LOC' : 'O'}`,
    ].join('\n');
  writeFileSync(path, `${Array.from({ length: 100 }, (_, i) => sentence(i)).join('\n\n')}\n`);
  return path;
}

const row = (mask: string, seed: number, score: number, predictionsPath?: string): ResultRow => ({
  cellHash: `${mask}-${seed}`,
  backbone: 'tiny',
  mask,
  dataset: 'conll',
  head: 'linear',
  seed,
  score,
  metrics: { 'test.f1': score },
  scoring: { mode: 'strict', scheme: 'iob2' },
  ...(predictionsPath && { predictionsPath }),
});

describe('aggregate and compareTo with an input axis', () => {
  const withInput = (input: string, mask: string, seed: number, score: number): ResultRow => ({
    ...row(mask, seed, score),
    cellHash: `${input}-${mask}-${seed}`,
    input,
  });
  const rows = [1, 2].flatMap((seed) => [
    withInput('identity', 'causal', seed, 0.5),
    withInput('identity', 'bidirectional', seed, 0.9 + seed / 100),
    withInput('repeat', 'causal', seed, 0.95),
    withInput('repeat', 'bidirectional', seed, 0.97),
  ]);

  it('groups by input transform as it does by mask', () => {
    const groups = aggregate(rows, 0);
    assert.deepEqual(
      groups.map((g) => [g.input, g.mask, g.mean]),
      [
        ['identity', 'causal', 0.5],
        ['identity', 'bidirectional', 0.915],
        ['repeat', 'causal', 0.95],
        ['repeat', 'bidirectional', 0.97],
      ],
    );
  });

  it('compares each mask with the reference of its own input transform', () => {
    const comparisons = compareTo(rows, (m) => m === 'causal', 0);
    assert.deepEqual(
      comparisons.map((c) => [c.input, c.mask, c.reference, Number(c.delta.toFixed(4))]),
      [
        ['identity', 'bidirectional', 'causal', 0.415],
        ['repeat', 'bidirectional', 'causal', 0.02],
      ],
    );
  });
});

describe('compareTo', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookright-compare-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("tests the table's Δ (mean of per-seed differences) even where the pooled F1 difference has the other sign", () => {
    // Seed 1: causal 90/100 right (F1 0.9); the mask also 90 right but with 160 spurious spans (F1 180/360 = 0.5).
    // Seed 2: causal 10 right (0.1), the mask 30 (0.3). Per seed -0.4 and +0.2: Δ = -0.1. Pooled over both seeds
    // the mask scores 240/560 = 0.43 against 200/400 = 0.25, the opposite sign (the quick-start trap).
    const rows = [
      row('causal', 1, 0.9, predictions(dir, 'c1', 90)),
      row('causal', 2, 0.1, predictions(dir, 'c2', 10)),
      row('mask', 1, 0.5, predictions(dir, 'm1', 90, 80)),
      row('mask', 2, 0.3, predictions(dir, 'm2', 30)),
    ];
    const [c] = compareTo(rows, (m) => m === 'causal', 2000);
    assert.ok(Math.abs(c.delta - -0.1) < 1e-12, String(c.delta));
    assert.equal(c.ciFrom, 'sentences');
    assert.ok(c.ci && c.ci.high < 0, `the interval lies on the side of Δ: ${JSON.stringify(c.ci)}`);
    assert.ok(c.bootstrapP !== null && c.bootstrapP < 0.05, String(c.bootstrapP));
    assert.equal(c.seedP, null, 'two seeds: no t-test');
  });

  it('runs the t-test from 3 seeds and adjusts both p columns by Holm–Bonferroni across the masks', () => {
    const rows = [
      ...[0.5, 0.52, 0.51].map((s, i) => row('causal', i + 1, s)),
      ...[0.6, 0.64, 0.61].map((s, i) => row('a', i + 1, s)),
      ...[0.5, 0.55, 0.5].map((s, i) => row('b', i + 1, s)),
      ...[0.51, 0.53, 0.53].map((s, i) => row('c', i + 1, s)),
    ];
    const comparisons = compareTo(rows, (m) => m === 'causal', 200);
    assert.deepEqual(
      comparisons.map((c) => c.mask),
      ['a', 'b', 'c'],
    );
    const raw = comparisons.map((c) => c.seedP);
    assert.ok(raw.every((p) => p !== null && p > 0 && p < 1));
    assert.deepEqual(
      comparisons.map((c) => c.seedPHolm),
      holmAdjust(raw),
    );
    assert.ok(comparisons.every((c) => (c.seedPHolm as number) >= (c.seedP as number)));
    // no predictions: no sentence bootstrap, the interval comes from resampling seeds
    assert.ok(comparisons.every((c) => c.bootstrapP === null && c.bootstrapPHolm === null && c.ciFrom === 'seeds'));
    assert.match(comparisons[0].bootstrapSkipped ?? '', /seed 1 of a has no test predictions/);
  });

  it('skips the sentence bootstrap, saying why, when predictions do not reproduce the stored score', () => {
    const rows = [
      row('causal', 1, 0.9, predictions(dir, 'c1', 90)),
      row('causal', 2, 0.1, predictions(dir, 'c2', 10)),
      row('mask', 1, 0.55, predictions(dir, 'm1', 50)),
      row('mask', 2, 0.3, predictions(dir, 'm2', 30)),
    ];
    const [c] = compareTo(rows, (m) => m === 'causal', 100);
    assert.equal(c.bootstrapP, null);
    assert.match(c.bootstrapSkipped ?? '', /test predictions of mask seed 1 do not reproduce its test\.f1/);
    assert.equal(c.ciFrom, 'seeds');
    const [acc] = compareTo(rows, (m) => m === 'causal', 100, 'test.acc');
    assert.match(acc.bootstrapSkipped ?? '', /resamples test F1, not test\.acc/);
  });
});
