import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSuite } from '../run/run-suite.js';
import { pidRunning } from '../store/process-identity.js';
import { RunStore } from '../store/run-store.js';
import { cpuRunnerRef } from '../testing/cpu-cell-runner.js';
import { testRegistry } from '../testing/test-registry.js';
import { writeTestSuite } from '../testing/test-suite.js';

const script = fileURLToPath(new URL('../testing/run-test-suite.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Worker processes of this host working on cells of `storeDir`, as [pid, cell hash] (read from /proc). */
function cellWorkers(storeDir: string): { pid: number; cell: string }[] {
  const found: { pid: number; cell: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || !pidRunning(Number(entry))) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!args.some((a) => a.endsWith('cell-worker.ts'))) continue;
    const cell = args.map((a) => a.startsWith(storeDir) && /\/cells\/..\/([0-9a-f]+)/.exec(a)?.[1]).find(Boolean);
    if (cell) found.push({ pid: Number(entry), cell });
  }
  return found;
}

function storeView(storeDir: string) {
  const store = RunStore.open(storeDir);
  try {
    return store.queries.suiteCells('test-suite');
  } finally {
    store.close();
  }
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('cell workers after kill -9 of their harness', function () {
  this.timeout(180_000);
  const saved = { ...process.env };
  afterEach(() => {
    process.env.LOOKRIGHT_TEST_STEP_MS = saved.LOOKRIGHT_TEST_STEP_MS;
    process.env.LOOKRIGHT_TEST_BLOCKING = saved.LOOKRIGHT_TEST_BLOCKING;
    if (saved.LOOKRIGHT_TEST_STEP_MS === undefined) delete process.env.LOOKRIGHT_TEST_STEP_MS;
    if (saved.LOOKRIGHT_TEST_BLOCKING === undefined) delete process.env.LOOKRIGHT_TEST_BLOCKING;
  });

  it('stop training, so an immediate rerun runs one worker per cell and every output matches the store', async () => {
    const { file, dir } = writeTestSuite({ seeds: [1, 2] });
    writeFileSync(file, readFileSync(file, 'utf8').replace('recipe: {epochs: 1}', 'recipe: {epochs: 1, maxSteps: 40}'));
    const storeDir = join(dir, 'runs');
    // workers that never yield to their event loop while "training", as the real trainer's do
    Object.assign(process.env, { LOOKRIGHT_TEST_STEP_MS: '100', LOOKRIGHT_TEST_BLOCKING: '1' });
    const harness: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, file, storeDir, '2'], {
      stdio: 'ignore',
    });
    // kill -9 the harness once both cells' workers are training
    for (let i = 0; i < 600; i++) {
      await sleep(100);
      const training = cellWorkers(storeDir).map((w) => w.cell);
      if (new Set(training).size === 2 && existsSync(join(storeDir, 'lookright.sqlite'))) break;
    }
    await sleep(500);
    harness.kill('SIGKILL');
    await new Promise((r) => harness.once('exit', r));
    const orphans = cellWorkers(storeDir);
    assert.equal(orphans.length, 2, 'both cells were mid-training at the kill');
    const atKill = storeView(storeDir);
    for (const c of atKill.filter((x) => x.status === 'RUNNING'))
      assert.ok(c.attempt?.workerPid, `the RUNNING attempt of ${c.hash} names its worker`);

    // rerun at once, counting the workers of each cell all along
    let mostPerCell = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const perCell = new Map<string, number>();
        for (const w of cellWorkers(storeDir)) perCell.set(w.cell, (perCell.get(w.cell) ?? 0) + 1);
        mostPerCell = Math.max(mostPerCell, ...perCell.values());
        await sleep(50);
      }
    })();
    const rerun = await runSuite({
      suiteFile: file,
      storeDir,
      workers: 2,
      registry: testRegistry(),
      runner: cpuRunnerRef,
      env: {},
      print: () => {},
    });
    // an orphan still alive would go on writing; give it every chance to, then look
    for (let i = 0; i < 200 && orphans.some((o) => pidRunning(o.pid)); i++) await sleep(100);
    sampling = false;
    await sampler;

    assert.equal(mostPerCell, 1, 'never two workers on one cell');
    assert.ok(
      orphans.every((o) => !pidRunning(o.pid)),
      'the orphaned workers are gone',
    );
    assert.equal(rerun.summary.failed, 0);
    const after = storeView(storeDir);
    assert.ok(after.every((c) => c.status === 'FINISHED'));
    for (const c of after) {
      assert.equal(c.artifacts.length, 2);
      for (const a of c.artifacts) {
        assert.ok(a.path.startsWith(join(storeDir, 'cells')), a.path);
        assert.equal(sha256(a.path), a.sha256, `${a.path} matches the store`);
      }
      const steps = readFileSync(c.artifacts.find((a) => a.name === 'steps')?.path ?? '', 'utf8')
        .trim()
        .split('\n');
      assert.equal(steps.length, 40, 'one line per step');
    }
  });
});
