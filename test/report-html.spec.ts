import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReport } from '../packages/harness/src/report/write-report.js';
import { storeWithResults } from '../packages/harness/src/testing/store-with-results.js';

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);

/** Headless Chromium with the flags this closed network needs; returns stdout. */
function chromiumRun(args: string[]): string {
  const profile = mkdtempSync(join(tmpdir(), 'lookright-chromium-'));
  const result = spawnSync(
    chromium as string,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      ...args,
    ],
    { encoding: 'utf8', timeout: 90_000 },
  );
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

/** The drawn rects of the mark group `name` (e.g. concat_0_concat_1_marks) in a rendered DOM fragment. */
function rects(dom: string, name: string): string[] {
  const start = dom.indexOf(`mark-rect role-mark ${name}"`);
  assert.ok(start >= 0, `no mark group ${name}`);
  const group = dom.slice(start, dom.indexOf('</g>', start));
  return group.match(/<path[^>]*>/g) ?? [];
}
const OPEN = 'fill="#1f4e79"';

describe('report.html in headless Chromium', () => {
  it('opens; the heatmap draws patterns as layer-group blocks and each mask has its layer strip', async function () {
    if (!chromium) {
      if (process.env.CI === 'true') assert.fail('chromium is required in CI (apt-get install chromium)');
      console.log('      skipped: chromium is not installed');
      this.skip();
    }
    const { store, dir } = storeWithResults({
      'groups:00': [0.5, 0.52],
      'groups:01': [0.8, 0.79],
      'groups:10': [0.6, 0.61],
      'groups:11': [0.7, 0.7],
    });
    const report = await writeReport(store, { suiteName: 'demo', outDir: join(dir, 'report'), bootstrapSamples: 100 });
    store.close();
    const url = `file://${report.html}`;
    const dom = chromiumRun(['--dump-dom', url]);
    assert.match(dom, /<div id="heatmap"><svg[^>]*class="marks"/);
    const heatmap = dom.slice(dom.indexOf('id="heatmap"'), dom.indexOf('id="bars"'));
    const rectLayer = heatmap.slice(heatmap.indexOf('mark-rect role-mark'));
    const cells = rectLayer.slice(0, rectLayer.indexOf('</g>')).match(/<path/g) ?? [];
    assert.equal(cells.length, 4, 'one heatmap cell per group pattern');
    for (const pattern of ['00', '01', '10', '11']) assert.match(heatmap, new RegExp(`>${pattern}<`));
    // under the heatmap each pattern is drawn as its blocks: 4 patterns x 2 groups, open where the bit is 1
    const blocks = rects(heatmap, 'concat_0_concat_1_marks');
    assert.equal(blocks.length, 8);
    assert.equal(blocks.filter((b) => b.includes(OPEN)).length, 4, '00, 01, 10, 11 open 0 + 1 + 1 + 2 groups');
    assert.match(heatmap, />layers 0–3</, 'groups named by the layers they hold (8 layers recorded per cell)');
    // each mask as its layer strip beside its label: 4 masks x 8 layers, open layers dark
    const bars = dom.slice(dom.indexOf('id="bars"'));
    const strips = rects(bars, 'concat_0_concat_0_marks');
    assert.equal(strips.length, 32);
    assert.equal(strips.filter((b) => b.includes(OPEN)).length, 16, '0 + 4 + 4 + 8 open layers');
    assert.doesNotMatch(dom, /beside this file/, 'no Markdown-only text in the page');
    const screenshot = join(dir, 'report.png');
    chromiumRun([`--screenshot=${screenshot}`, '--window-size=1200,1600', url]);
    assert.ok(statSync(screenshot).size > 10_000, 'the screenshot holds a rendered page');
  });
});
