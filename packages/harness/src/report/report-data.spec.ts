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
