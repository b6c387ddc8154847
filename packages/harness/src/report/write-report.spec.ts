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

  it('reports a POS dataset by token accuracy beside an NER one, saying so, with a sentence bootstrap for both', async () => {
    const { store, dir } = storeWithResults(
      { causal: [0.5, 0.52, 0.54], bidirectional: [0.7, 0.74, 0.72] },
      ['ner', 'ud-pos'],
      ['ud-pos'],
    );
    try {
      const out = await writeReport(store, { suiteName: 'demo', outDir: join(dir, 'report'), bootstrapSamples: 200 });
      const md = readFileSync(out.markdown, 'utf8');
      assert.match(md, /The tags of ud-pos mark no spans .* token accuracy \(test\.accuracy\)/);
      assert.match(md, /\| tiny \| bidirectional \| ud-pos \| linear \| 72\.00 ± 2\.00 \| 1,2,3 \|/);
      assert.doesNotMatch(md, /No sentence bootstrap/);
      assert.match(md, /Δ against all-causal[\s\S]*\| tiny \| ud-pos \| linear \| bidirectional \| 20\.00 \|/);
      const bars = readFileSync(out.svgs.find((f) => f.endsWith('masks.svg')) as string, 'utf8');
      assert.match(bars, />test\.accuracy</, 'the POS panel names its measure');
      assert.match(bars, />test\.f1</, 'the NER panel keeps F1');
    } finally {
      store.close();
    }
  });

  it('prints Δ beside its 95% interval and raw and Holm-adjusted two-sided p-values that agree with it', async () => {
    const { store, dir } = storeWithResults({
      causal: [0.5, 0.52, 0.51],
      bidirectional: [0.7, 0.74, 0.71],
      'groups:01': [0.52, 0.5, 0.53],
      'groups:10': [0.45, 0.47, 0.44],
    });
    try {
      const out = await writeReport(store, { suiteName: 'demo', outDir: join(dir, 'report'), bootstrapSamples: 400 });
      const md = readFileSync(out.markdown, 'utf8');
      const section = md.slice(md.indexOf('## Δ against all-causal'), md.indexOf('## Δ against all-bidirectional'));
      assert.match(section, /two-sided/);
      assert.match(section, /Holm–Bonferroni adjusted p across the 3 masks of this table/);
      assert.doesNotMatch(section, /cannot support a claim/, 'three seeds: the t-test is reported');
      const rows = section
        .split('\n')
        .filter((l) => l.startsWith('| tiny'))
        .map((l) =>
          l
            .split('|')
            .map((c) => c.trim())
            .slice(1, -1),
        );
      assert.equal(rows.length, 3);
      for (const [, , , mask, delta, ci, tP, tHolm, bootP, bootHolm, seeds] of rows) {
        const [low, high] = ci.replace(/[[\]]/g, '').split(',').map(Number);
        assert.ok(low <= Number(delta) && Number(delta) <= high, `${mask}: ${delta} in ${ci}`);
        const p = (text: string) => (text === '<0.001' ? 0 : Number(text));
        assert.ok(p(tHolm) >= p(tP) && p(bootHolm) >= p(bootP), `${mask}: Holm is never below the raw p`);
        // a significant bootstrap p comes with an interval on the side of Δ
        if (p(bootP) < 0.05)
          assert.ok(Math.sign(low) === Math.sign(Number(delta)) && Math.sign(high) === Math.sign(low));
        assert.equal(seeds, '3');
      }
      const worse = rows.find((r) => r[3] === 'groups:10') as string[];
      assert.ok(Number(worse[4]) < 0 && Number(worse[8]) < 0.05, 'a worse mask: negative Δ, small two-sided p');
      // 3 seeds: 1 in 27 resamples is all 0.50 (> 2.5%), 1 in 27 all 0.52, so the interval is exactly [50, 52]
      assert.match(
        md,
        /\| tiny \| causal \| conll \| linear \| 51\.00 ± 1\.00 \| 1,2,3 \| \[50\.00, 52\.00\] \| 00000000 \|/,
      );
    } finally {
      store.close();
    }
  });

  it('writes each plot as an SVG file beside report.html, which names them without Markdown-only text', async () => {
    const { store, dir } = storeWithResults({ 'groups:00': [0.5, 0.52], 'groups:01': [0.8, 0.78] });
    try {
      const out = await writeReport(store, { suiteName: 'demo', outDir: join(dir, 'report'), bootstrapSamples: 50 });
      assert.deepEqual(
        out.svgs.map((p) => p.slice(join(dir, 'report').length + 1)),
        ['group-patterns.svg', 'masks.svg'],
      );
      for (const svg of out.svgs) assert.match(readFileSync(svg, 'utf8'), /^<svg[^>]*class="marks"/);
      const html = readFileSync(out.html, 'utf8');
      assert.doesNotMatch(html, /beside this file/);
      assert.match(html, /<a href="group-patterns\.svg">/);
      assert.match(
        html,
        /With fewer than 3 seeds the paired t-test cannot support a claim \(groups:01 on conll: 2 shared seeds\)/,
      );
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
