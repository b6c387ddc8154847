import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pidRunning as alive } from '../store/process-identity.js';
import { storeView } from '../testing/test-processes.js';
import { writeTestSuite } from '../testing/test-suite.js';
import { runTestSuite } from '../testing/test-suite-in-process.js';

const script = fileURLToPath(new URL('../testing/run-test-suite.ts', import.meta.url));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('LocalPoolScheduler with real worker processes', function () {
  this.timeout(180_000);

  it('runs every cell in its own process, records results, and a second run runs nothing', async () => {
    const { file, dir } = writeTestSuite({ seeds: [1, 2] });
    const storeDir = join(dir, 'runs');
    const first = await runTestSuite(file, storeDir, { workers: 2 });
    assert.deepEqual(first.summary, { finished: 4, failed: 0, skipped: 0, interrupted: false });
    const cells = storeView(storeDir);
    assert.ok(cells.every((c) => c.status === 'FINISHED'));
    const workerPids = new Set(cells.map((c) => c.attempt?.workerPid));
    assert.equal(workerPids.size, 4, 'one worker process per cell');
    assert.ok(!workerPids.has(process.pid));
    for (const c of cells) {
      assert.equal(typeof c.metrics['dev.f1'], 'number');
      assert.ok(existsSync(c.artifacts[0].path));
      assert.match(readFileSync(c.attempt?.logPath ?? '', 'utf8'), /FINISHED/);
    }
    const second = await runTestSuite(file, storeDir, { workers: 2 });
    assert.equal(second.alreadyFinished, 4);
    assert.deepEqual(second.summary, { finished: 0, failed: 0, skipped: 0, interrupted: false });
    assert.deepEqual(
      storeView(storeDir).map((c) => c.attempts.length),
      [1, 1, 1, 1],
      'no new attempt on the second run',
    );
  });

  it('records a thrown error and a crash with the log path, finishes the rest, and retries only the failures', async () => {
    const { file, dir } = writeTestSuite({
      seeds: [1],
      masks: [
        'mask:causal',
        '{id: mask:test-fault, params: {fault: throw}}',
        '{id: mask:test-fault, params: {fault: crash}}',
      ],
    });
    const storeDir = join(dir, 'runs');
    const lines: string[] = [];
    const result = await runTestSuite(file, storeDir, { workers: 2, print: (l) => lines.push(l) });
    assert.deepEqual([result.summary.finished, result.summary.failed], [1, 2]);
    const [ok, thrown, crashed] = storeView(storeDir);
    assert.equal(ok.status, 'FINISHED');
    assert.equal(thrown.attempt?.errorCode, 'TEST_FAULT');
    assert.equal(crashed.attempt?.errorCode, 'CELL_CRASHED');
    assert.match(crashed.attempt?.errorMessage ?? '', /killed by SIGABRT/);
    assert.ok(lines.some((l) => l.includes('FAILED') && l.includes('TEST_FAULT')));
    assert.ok(lines.includes(`  log: ${thrown.attempt?.logPath}`));
    await runTestSuite(file, storeDir, { workers: 2 });
    const after = storeView(storeDir);
    assert.deepEqual(
      after.map((c) => c.attempts.length),
      [1, 2, 2],
    );
  });

  it('kills a cell over its time limit and one over its memory limit', async () => {
    const { file, dir } = writeTestSuite({
      seeds: [1],
      masks: ['{id: mask:test-fault, params: {fault: hang}}', '{id: mask:test-fault, params: {fault: hog}}'],
    });
    const storeDir = join(dir, 'runs');
    await runTestSuite(file, storeDir, { workers: 2, limits: { timeoutSeconds: 20, memoryMiB: 300 } });
    const [hang, hog] = storeView(storeDir);
    assert.equal(hang.attempt?.errorCode, 'CELL_TIMEOUT');
    assert.equal(hog.attempt?.errorCode, 'CELL_MEMORY');
    assert.match(hog.attempt?.errorMessage ?? '', /over its limit of 300 MiB/);
  });

  it('waits out a time limit beyond Node’s timer range, and refuses a memory limit V8 cannot take', async () => {
    // setTimeout caps at 2^31 - 1 ms: 2,200,000 s used to fire after 1 ms and kill every cell
    const { file, dir } = writeTestSuite({ seeds: [1] });
    const storeDir = join(dir, 'runs');
    const result = await runTestSuite(file, storeDir, { workers: 2, limits: { timeoutSeconds: 2_200_000 } });
    assert.deepEqual([result.summary.finished, result.summary.failed], [2, 0]);
    await assert.rejects(
      runTestSuite(file, join(dir, 'other-runs'), { workers: 2, limits: { memoryMiB: 1e30 } }),
      (e: Error & { code?: string }) => e.code === 'RUN_BAD_OPTION' && /--cell-memory 1e\+30/.test(e.message),
    );
  });

  it('finishes a suite after kill -9 of the harness, running no finished cell again', async () => {
    const { file, dir } = writeTestSuite({ seeds: [1, 2, 3] });
    writeFileSync(file, readFileSync(file, 'utf8').replace('recipe: {epochs: 1}', 'recipe: {epochs: 1, maxSteps: 30}'));
    const storeDir = join(dir, 'runs');
    // the last cell waits at a gate nobody opens, so it is RUNNING whenever the kill comes, however slow the machine
    const gate = `groups:01/3:${join(dir, 'never-opened')}`;
    const harness: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, file, storeDir, '2'], {
      stdio: 'ignore',
      env: { ...process.env, LOOKRIGHT_TEST_STEP_MS: '100', LOOKRIGHT_TEST_CELL_GATE: gate },
    });
    // wait until at least one cell is FINISHED and the gated one is RUNNING, then kill -9 the harness mid-run
    const gatedRunning = (cells: ReturnType<typeof storeView>) =>
      cells.some((c) => c.status === 'RUNNING' && c.labels.mask === 'groups:01' && c.labels.seed === 3);
    let before = storeView(storeDir);
    for (let i = 0; i < 600; i++) {
      await sleep(250);
      if (!existsSync(join(storeDir, 'lookright.sqlite'))) continue;
      before = storeView(storeDir);
      if (before.some((c) => c.status === 'FINISHED') && gatedRunning(before)) break;
    }
    harness.kill('SIGKILL');
    await new Promise((r) => harness.once('exit', r));
    const atKill = storeView(storeDir);
    const runningAtKill = atKill.filter((c) => c.status === 'RUNNING');
    assert.ok(atKill.some((c) => c.status === 'FINISHED') && runningAtKill.length >= 1, 'killed mid-run');
    // the orphans' workers notice the harness is gone and exit; one that had already recorded its result may
    // still have finished its cell (the store decides), which is a result kept, not a cell run twice
    for (const c of runningAtKill) {
      // the claim that made it RUNNING recorded its worker, so there is no RUNNING attempt without one
      const worker = c.attempt?.workerPid;
      assert.ok(worker, `the RUNNING attempt of ${c.hash} names its worker`);
      for (let i = 0; i < 120 && alive(worker); i++) await sleep(250);
      assert.ok(!alive(worker), `worker ${worker} exited`);
    }
    before = storeView(storeDir);
    const finishedBefore = before.filter((c) => c.status === 'FINISHED');
    const orphaned = before.filter((c) => c.status === 'RUNNING');

    const resumed = await runTestSuite(file, storeDir, { workers: 2 });
    assert.equal(resumed.alreadyFinished, finishedBefore.length + (resumed.cells - before.length));
    const after = storeView(storeDir);
    assert.ok(after.every((c) => c.status === 'FINISHED'));
    for (const c of after) {
      assert.equal(c.attempts.filter((a) => a.outcome === 'FINISHED').length, 1, `${c.hash} finished exactly once`);
    }
    for (const c of finishedBefore) {
      const now = after.find((a) => a.hash === c.hash);
      assert.equal(now?.attempts.length, c.attempts.length, 'a finished cell is never run again');
      assert.deepEqual(now?.metrics, c.metrics, 'its result is kept');
    }
    for (const c of orphaned) {
      assert.equal(after.find((a) => a.hash === c.hash)?.attempts[0].outcome, 'ORPHANED');
    }
    // the resumed results equal those of an uninterrupted run of the same suite
    const fresh = join(dir, 'fresh-runs');
    await runTestSuite(file, fresh, { workers: 2 });
    assert.deepEqual(
      storeView(fresh).map((c) => [c.hash, c.metrics]),
      after.map((c) => [c.hash, c.metrics]),
    );
  });
});
