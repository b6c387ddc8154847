import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pidRunning } from '../store/process-identity.js';
import { RunStore } from '../store/run-store.js';
import { writeTestSuite } from '../testing/test-suite.js';
import { runTestSuite } from '../testing/test-suite-in-process.js';

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

/** Lines of each steps.txt the test runner is writing under the store's cells (2 once both cells train). */
function stepLogs(storeDir: string): number[] {
  const found: number[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'steps.txt') found.push(readFileSync(path, 'utf8').split('\n').length - 1);
    }
  };
  if (existsSync(join(storeDir, 'cells'))) walk(join(storeDir, 'cells'));
  return found.length === 2 ? found : [0];
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

  /** Starts a harness over two 40-step cells in a child process and kills it -9 once both cells train. */
  async function killHarnessMidCell() {
    const { file, dir } = writeTestSuite({ seeds: [1] });
    writeFileSync(file, readFileSync(file, 'utf8').replace('recipe: {epochs: 1}', 'recipe: {epochs: 1, maxSteps: 40}'));
    const storeDir = join(dir, 'runs');
    // workers that never yield to their event loop while "training", as the real trainer's do
    Object.assign(process.env, { LOOKRIGHT_TEST_STEP_MS: '100', LOOKRIGHT_TEST_BLOCKING: '1' });
    const harness: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, file, storeDir, '2'], {
      stdio: 'ignore',
    });
    let orphans: { pid: number; cell: string }[] = [];
    for (let i = 0; i < 600; i++) {
      await sleep(100);
      orphans = cellWorkers(storeDir);
      if (new Set(orphans.map((w) => w.cell)).size === 2 && stepLogs(storeDir).every((lines) => lines >= 3)) break;
    }
    harness.kill('SIGKILL');
    await new Promise((r) => harness.once('exit', r));
    assert.equal(new Set(orphans.map((w) => w.cell)).size, 2, 'both cells were mid-training at the kill');
    return { file, storeDir, orphans };
  }

  it('stop by themselves within a step, recording nothing', async () => {
    const { storeDir, orphans } = await killHarnessMidCell();
    for (let i = 0; i < 300 && orphans.some((o) => pidRunning(o.pid)); i++) await sleep(100);
    assert.ok(
      orphans.every((o) => !pidRunning(o.pid)),
      'the orphaned workers exited',
    );
    const cells = storeView(storeDir);
    assert.deepEqual(
      cells.map((c) => c.status),
      ['RUNNING', 'RUNNING'],
      'no orphan recorded a result (the next run reclaims the cells)',
    );
    for (const c of cells) {
      const log = readFileSync(c.attempt?.logPath ?? '', 'utf8');
      assert.match(log, /the harness \(pid \d+\) is gone; stopping/);
    }
    const steps = stepLogs(storeDir);
    assert.ok(
      steps.every((n) => n < 40),
      `stopped before the last step (steps logged: ${steps})`,
    );
  });

  it('are gone before an immediate rerun starts a cell again, and every output matches the store', async () => {
    const { file, storeDir, orphans } = await killHarnessMidCell();
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
    const rerun = await runTestSuite(file, storeDir, { workers: 2 });
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
