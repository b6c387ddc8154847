import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LookrightError } from '@lookright/core';
import { storeWithResults } from '../testing/store-with-results.js';
import { collectResults, sentenceCounts } from './report-data.js';

describe('collectResults', () => {
  it("reads each cell's layer mask and test scorer from its metrics.json artifact", () => {
    const { store, dir } = storeWithResults({ causal: [0.5], 'groups:01': [0.8] });
    try {
      const { rows } = collectResults(store, 'demo', 'test.f1');
      assert.deepEqual(
        rows.map((r) => [r.mask, r.layers, r.scoring]),
        [
          ['causal', '00000000', { mode: 'strict', scheme: 'iob2' }],
          ['groups:01', '00001111', { mode: 'strict', scheme: 'iob2' }],
        ],
      );
      const counts = sentenceCounts(rows[1].predictionsPath as string, rows[1].scoring);
      assert.equal(
        counts.reduce((sum, c) => sum + c.tp, 0),
        80,
      );
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('scores a tag set without spans (POS) by token accuracy, its bootstrap counts reproducing it', () => {
    const { store, dir } = storeWithResults({ causal: [0.5, 0.6], bidirectional: [0.7, 0.9] }, ['ner', 'pos'], ['pos']);
    try {
      const { rows, missing } = collectResults(store, 'demo', 'test.f1');
      assert.deepEqual(missing, []);
      const pos = rows.filter((r) => r.dataset === 'pos');
      assert.deepEqual(
        pos.map((r) => [r.mask, r.seed, r.score, r.measure]),
        [
          ['causal', 1, 0.5, 'accuracy'],
          ['causal', 2, 0.6, 'accuracy'],
          ['bidirectional', 1, 0.7, 'accuracy'],
          ['bidirectional', 2, 0.9, 'accuracy'],
        ],
      );
      assert.ok(rows.filter((r) => r.dataset === 'ner').every((r) => r.measure === undefined));
      const counts = sentenceCounts(pos[3].predictionsPath as string, pos[3].scoring, pos[3].measure);
      assert.deepEqual(
        [counts.length, counts.reduce((s, c) => s + c.tp, 0), counts.reduce((s, c) => s + c.pred + c.gold, 0)],
        [100, 90, 200],
      );
      // another metric asked for by name is taken as it is
      assert.deepEqual(
        collectResults(store, 'demo', 'dev.f1')
          .rows.filter((r) => r.dataset === 'pos')
          .map((r) => r.score),
        [0, 0, 0, 0],
      );
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves layers and scorer out for a cell without metrics.json, and names a damaged one', () => {
    const { store, dir } = storeWithResults({ causal: [0.5], bidirectional: [0.6] });
    try {
      rmSync(join(dir, 'conll-causal-1.metrics.json'));
      const damaged = join(dir, 'conll-bidirectional-1.metrics.json');
      writeFileSync(damaged, '{"maskSpecs": "1111');
      assert.throws(
        () => collectResults(store, 'demo', 'test.f1'),
        (error: LookrightError) =>
          error.code === 'REPORT_ARTIFACT_UNREADABLE' && error.message.includes(damaged) && Boolean(error.hint),
      );
      writeFileSync(damaged, '{"maskLabel": "bidirectional"}');
      const { rows } = collectResults(store, 'demo', 'test.f1');
      assert.deepEqual(
        rows.map((r) => [r.layers, r.scoring]),
        [
          [undefined, undefined],
          [undefined, undefined],
        ],
      );
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
