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

describe('report.html in headless Chromium', () => {
  it('opens, and the group-pattern heatmap renders', async function () {
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
    const screenshot = join(dir, 'report.png');
    chromiumRun([`--screenshot=${screenshot}`, '--window-size=1200,1600', url]);
    assert.ok(statSync(screenshot).size > 10_000, 'the screenshot holds a rendered page');
  });
});
