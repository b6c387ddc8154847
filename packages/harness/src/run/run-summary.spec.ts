import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunStore } from '../store/run-store.js';
import { writeTestSuite } from '../testing/test-suite.js';
import { runTestSuite } from '../testing/test-suite-in-process.js';

const script = fileURLToPath(new URL('../testing/run-test-suite.ts', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the closing line of a run', function () {
  this.timeout(120_000);

  it('counts a cell still RUNNING in another harness sharing the store, with its PID', async () => {
    const { file, dir } = writeTestSuite({ seeds: [1] });
    writeFileSync(file, readFileSync(file, 'utf8').replace('recipe: {epochs: 1}', 'recipe: {epochs: 1, maxSteps: 30}'));
    const storeDir = join(dir, 'runs');
    // another harness, one worker, whose first cell takes 30 s
    const other: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, file, storeDir, '1'], {
      stdio: 'ignore',
      env: { ...process.env, LOOKRIGHT_TEST_STEP_MS: '1000' },
    });
    try {
      let running = 0;
      for (let i = 0; i < 600 && running === 0; i++) {
        await sleep(100);
        if (!existsSync(join(storeDir, 'lookright.sqlite'))) continue;
        const store = RunStore.open(storeDir);
        running = store.queries.suiteCells('test-suite').filter((c) => c.status === 'RUNNING').length;
        store.close();
      }
      assert.equal(running, 1, 'the other harness runs a cell');
      const lines: string[] = [];
      const result = await runTestSuite(file, storeDir, { workers: 1, print: (l) => lines.push(l) });
      assert.deepEqual(result.summary, { finished: 1, failed: 0, skipped: 1, interrupted: false });
      assert.equal(
        lines.at(-1),
        `suite test-suite: 1/2 FINISHED, 0 FAILED, 1 RUNNING in another harness (pid ${other.pid})`,
      );
    } finally {
      other.kill('SIGKILL');
    }
  });
});
