import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { type CellFileStore, LookrightError, type TrackedCellRun } from '@lookright/core';
import { harnessErrors } from '../../errors.js';
import { insideOutput } from './cell-payload.js';

/** One file of a cell that travelled through the tracker (MLflow artifacts) instead of Redis. */
export interface CellFileEntry {
  /** Path in the cell's output folder. */
  path: string;
  /**
   * Where it lies among the run's cell files: `<delivery id>/<path>`, a fresh random id per delivery, so that a
   * second attempt of the cell (its files may differ: timings) never overwrites what a manifest describes.
   */
  stored: string;
  bytes: number;
  sha256: string;
}

/** Which tracked run a job's cell belongs to (suite and store; no URL, no credential): set when tracked. */
export interface TrackedCellJob {
  suiteName: string;
  storeId: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Worker side: puts the files (absolute paths in `outputDir`) into the cell's tracked run and returns their
 * manifest (path, size, sha256). The harness opens that run when it sees the cell start, so a run not there yet
 * is looked for again every `pollMs` for up to `waitMs`, as is an unreachable server. Resolves undefined when
 * the files could not go that way (no run in time, or the server refused them): they then travel through Redis.
 */
export async function putCellFiles(
  store: CellFileStore,
  cell: TrackedCellRun,
  outputDir: string,
  paths: readonly string[],
  opts: { waitMs: number; pollMs?: number; print?: (line: string) => void },
): Promise<CellFileEntry[] | undefined> {
  const delivery = randomBytes(6).toString('hex');
  const files = [...new Set(paths)].sort().map((localPath) => {
    const bytes = readFileSync(localPath);
    const path = relative(outputDir, localPath);
    return { path, stored: `${delivery}/${path}`, localPath, bytes: bytes.length, sha256: sha256(bytes) };
  });
  const deadline = Date.now() + opts.waitMs;
  let why = `no MLflow run for it within ${opts.waitMs / 1000} s`;
  for (;;) {
    try {
      const puts = files.map((f) => ({ path: f.stored, localPath: f.localPath }));
      if (await store.put(cell, puts))
        return files.map(({ path, stored, bytes, sha256 }) => ({ path, stored, bytes, sha256 }));
    } catch (error) {
      const coded = error instanceof LookrightError;
      why = coded ? `${error.code}: ${error.message}` : String(error);
      if (!coded || error.code !== 'TRACKER_UNREACHABLE') break;
    }
    if (Date.now() >= deadline) break;
    await sleep(opts.pollMs ?? 1000);
  }
  opts.print?.(`cell ${cell.cellHash}: its files go through Redis (${why})`);
  return undefined;
}

/**
 * Harness side: fetches each file of a manifest from the cell's tracked run into `outputDir`, checking its size
 * and sha256 (QUEUE_CELL_FILE_MISMATCH otherwise). TRACKER_UNREACHABLE is passed on: the caller tries later.
 */
export async function getCellFiles(
  store: CellFileStore,
  cell: TrackedCellRun,
  manifest: readonly CellFileEntry[],
  outputDir: string,
): Promise<void> {
  for (const entry of manifest) {
    const target = insideOutput(outputDir, entry.path);
    const bytes = await store.get(cell, entry.stored);
    if (bytes.length !== entry.bytes)
      throw harnessErrors.queueCellFileMismatch(
        cell.cellHash,
        entry.path,
        `has ${bytes.length} bytes, not ${entry.bytes}`,
      );
    if (sha256(bytes) !== entry.sha256)
      throw harnessErrors.queueCellFileMismatch(cell.cellHash, entry.path, 'has another sha256 than the worker sent');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
}
