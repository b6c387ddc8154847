import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuRunnerRef } from '../testing/cpu-cell-runner.js';
import { testRegistry } from '../testing/test-registry.js';
import { writeTestSuite } from '../testing/test-suite.js';
import { runTestSuite } from '../testing/test-suite-in-process.js';
import { dryRunSuite } from './dry-run.js';

describe('dryRunSuite', function () {
  this.timeout(120_000);

  it('lists every cell with a calibrated estimate and creates no store', async () => {
    const { file, dir } = writeTestSuite({ seeds: [1, 2] });
    const lines: string[] = [];
    const storeDir = join(dir, 'runs');
    const result = await dryRunSuite({
      suiteFile: file,
      storeDir,
      workers: 2,
      registry: testRegistry(),
      runner: cpuRunnerRef,
      env: {},
      print: (l) => lines.push(l),
    });
    assert.equal(result.estimates.length, 4);
    for (const e of result.estimates) {
      assert.equal(e.basis, 'calibrated');
      assert.ok((e.seconds ?? 0) > 0);
      assert.ok(lines.some((l) => l.includes(e.cell.hash.slice(0, 10)) && l.includes('new')));
    }
    assert.ok(result.totalSeconds > 0 && result.unknownCells === 0);
    assert.ok(Math.abs(result.wallSeconds - result.totalSeconds / 2) < 1e-9);
    assert.equal(existsSync(storeDir), false, 'a dry run creates no store');
  });

  it('reports cells whose data is missing instead of failing, and shows stored status', async () => {
    const { file, dir, text } = writeTestSuite({ seeds: [1] });
    const storeDir = join(dir, 'runs');
    await runTestSuite(file, storeDir, { workers: 2 });
    const lines: string[] = [];
    const done = await dryRunSuite({
      suiteFile: file,
      storeDir,
      calibrate: false,
      registry: testRegistry(),
      runner: cpuRunnerRef,
      env: {},
      print: (l) => lines.push(l),
    });
    assert.equal(done.totalSeconds, 0, 'nothing left to run');
    assert.ok(lines.filter((l) => l.includes('FINISHED')).length >= 2);

    writeFileSync(file, text.replace('file: train.txt', 'file: missing.txt'));
    const missing = await dryRunSuite({
      suiteFile: file,
      storeDir,
      calibrate: false,
      registry: testRegistry(),
      runner: cpuRunnerRef,
      env: {},
      print: () => {},
    });
    assert.equal(missing.unknownCells, 2);
    assert.match(missing.estimates[0].basis, /dataset unavailable .*missing\.txt/);
  });
});
