import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { storeWithResults } from '../testing/store-with-results.js';
import { writeReport } from './write-report.js';

describe('writeReport', () => {
  it('writes markdown, CSV and HTML with mean ± std, best mask, deltas and p-values', async () => {
    const { store, dir } = storeWithResults({
      causal: [0.5, 0.52],
      bidirectional: [0.7, 0.74],
      'groups:01': [0.8, 0.78],
      'groups:10': [0.6, 0.6],
      'groups:00': [0.5, 0.51],
      'groups:11': [0.7, 0.72],
    });
    try {
      const out = await writeReport(store, { suiteName: 'demo', outDir: join(dir, 'report'), bootstrapSamples: 200 });
      assert.equal(out.cells, 12);
      const md = readFileSync(out.markdown, 'utf8');
      assert.match(md, /\| tiny \| bidirectional \| conll \| linear \| 72\.00 ± 2\.83 \| 1,2 \|/);
      assert.match(md, /\| tiny \| conll \| linear \| groups:01 \| 79\.00 ± 1\.41 \|/);
      assert.match(md, /Δ against all-causal[\s\S]*\| tiny \| conll \| linear \| bidirectional \| 21\.00 \|/);
      const csv = readFileSync(out.csv, 'utf8').trim().split('\n');
      assert.equal(csv.length, 7);
      assert.match(csv[1], /^"tiny","causal","conll","linear",0\.51,/);
      const html = readFileSync(out.html, 'utf8');
      assert.match(html, /<div id="heatmap"><svg/);
      assert.match(html, /<div id="bars"><svg/);
    } finally {
      store.close();
    }
  });

  it('prints n/a, not ± 0.00, for the std of a single seed (empty in the CSV)', async () => {
    const { store, dir } = storeWithResults({ causal: [0.5], bidirectional: [0.7, 0.74] });
    try {
      const out = await writeReport(store, { suiteName: 'demo', outDir: join(dir, 'report'), bootstrapSamples: 50 });
      const md = readFileSync(out.markdown, 'utf8');
      assert.match(md, /\| tiny \| causal \| conll \| linear \| 50\.00 ± n\/a \| 1 \|/);
      assert.match(md, /\| tiny \| bidirectional \| conll \| linear \| 72\.00 ± 2\.83 \| 1,2 \|/);
      assert.doesNotMatch(md, /± 0\.00/);
      const csv = readFileSync(out.csv, 'utf8').trim().split('\n');
      assert.equal(csv[1], '"tiny","causal","conll","linear",0.5,,1,"0.5"');
      assert.match(csv[2], /^"tiny","bidirectional","conll","linear",0\.72,0\.028284271247461\d*,2,"0\.7 0\.74"$/);
      const html = readFileSync(out.html, 'utf8');
      assert.match(html, /<td>50\.00 ± n\/a<\/td>/);
      assert.doesNotMatch(html, /NaN/, 'no error bar drawn from a missing std');
      assert.match(html, /<div id="bars"><svg/);
    } finally {
      store.close();
    }
  });

  it('refuses a suite without finished cells, saying what to do', async () => {
    const { store, dir } = storeWithResults({ causal: [0.5] });
    try {
      await assert.rejects(
        writeReport(store, { suiteName: 'demo', outDir: dir, metric: 'test.acc' }),
        /no FINISHED cell with metric test\.acc/,
      );
    } finally {
      store.close();
    }
  });
});
