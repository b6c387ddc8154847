import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Claim } from '../store/cell-ledger.js';
import { pidRunning } from '../store/process-identity.js';
import { attemptFolders, stopWorker, takeOverPreviousAttempt } from './previous-attempt.js';

const claimAfter = (previous: Claim['previous']): Claim => ({
  cellHash: 'h',
  attemptId: 7,
  reason: 'retry-failed',
  previous,
});

function writeIn(folder: string, text: string): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'checkpoint.safetensors'), text);
}

/** A process that idles with `args` on its command line. */
async function idler(args: string[]) {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', ...args], { stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
  return child;
}

describe('taking over a previous attempt', () => {
  it('moves the previous attempt’s folder into the new attempt’s, to resume from its checkpoint', async () => {
    const cellDir = mkdtempSync(join(tmpdir(), 'lookright-cell-'));
    writeIn(attemptFolders(cellDir, 6).output, 'step 40');
    const output = attemptFolders(cellDir, 7).output;
    await takeOverPreviousAttempt(cellDir, claimAfter({ attemptId: 6, workerPid: null }), output);
    assert.equal(readFileSync(join(output, 'checkpoint.safetensors'), 'utf8'), 'step 40');
  });

  it('repairs a crash between promotion and commit: the unaccepted output folder is taken over', async () => {
    const cellDir = mkdtempSync(join(tmpdir(), 'lookright-cell-'));
    writeIn(join(cellDir, 'output'), 'final epoch');
    const output = attemptFolders(cellDir, 7).output;
    await takeOverPreviousAttempt(cellDir, claimAfter({ attemptId: 6, workerPid: null }), output);
    assert.equal(readFileSync(join(output, 'checkpoint.safetensors'), 'utf8'), 'final epoch');
  });

  it('kills a leftover worker of the cell, and leaves a process that only reuses its PID alone', async () => {
    const cellDir = mkdtempSync(join(tmpdir(), 'lookright-cell-'));
    const worker = await idler([cellDir]);
    const stranger = await idler(['something-else']);
    try {
      // The idlers are this process's children: a killed one stays a zombie until Node reaps it, so wait for its
      // exit event rather than probing its PID.
      const workerExit = new Promise((r) => worker.once('exit', (_code, signal) => r(signal)));
      await stopWorker(worker.pid as number, cellDir);
      await stopWorker(stranger.pid as number, cellDir);
      assert.equal(await workerExit, 'SIGKILL');
      assert.equal(stranger.exitCode, null);
      assert.equal(stranger.signalCode, null);
      assert.equal(pidRunning(stranger.pid as number), true);
    } finally {
      worker.kill('SIGKILL');
      stranger.kill('SIGKILL');
    }
  });
});
