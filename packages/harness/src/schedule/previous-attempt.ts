import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Claim } from '../store/cell-ledger.js';
import { commandLineHas } from '../store/process-identity.js';

/** One attempt's folders under its cell's: the job it ran and the output it is writing. */
export function attemptFolders(cellDir: string, attemptId: number): { dir: string; job: string; output: string } {
  const dir = join(cellDir, `attempt-${attemptId}`);
  return { dir, job: join(dir, 'job.json'), output: join(dir, 'output') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exitWaitMs = 30_000;

/**
 * Kills a previous attempt's worker if it still runs (a worker orphaned by a killed harness may not have noticed
 * yet) and waits until it is gone. Only a process whose arguments name this cell's folder is touched, so a PID
 * reused by an unrelated process is left alone.
 */
export async function stopWorker(pid: number, cellDir: string): Promise<void> {
  if (!commandLineHas(pid, cellDir)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  for (let waited = 0; waited < exitWaitMs && commandLineHas(pid, cellDir); waited += 50) await sleep(50);
}

/**
 * Prepares a claimed attempt's output folder: once the previous attempt's worker is gone, the folder that attempt
 * was writing (or, failing that, an unaccepted output folder of the cell) moves here, so the runner may resume
 * from its checkpoints while no other process can write into it.
 */
export async function takeOverPreviousAttempt(cellDir: string, claim: Claim, output: string): Promise<void> {
  mkdirSync(join(output, '..'), { recursive: true });
  const previous = claim.previous;
  if (previous?.workerPid) await stopWorker(previous.workerPid, cellDir);
  const candidates = [previous && attemptFolders(cellDir, previous.attemptId).output, join(cellDir, 'output')];
  const left = candidates.find((dir): dir is string => dir !== null && dir !== undefined && existsSync(dir));
  if (left && !existsSync(output)) renameSync(left, output);
  mkdirSync(output, { recursive: true });
}
