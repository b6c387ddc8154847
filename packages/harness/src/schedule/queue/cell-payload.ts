import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { harnessErrors } from '../../errors.js';
import type { CellResult } from '../../store/cell-ledger.js';
import type { CellFileEntry } from './tracked-cell-files.js';

/** Default limit on a cell's compressed payload (64 MiB). */
export const defaultMaxResultBytes = 64 * 2 ** 20;
/** At most this much of the end of a cell's worker log travels (1 MiB before compression). */
const logTailBytes = 2 ** 20;

/**
 * What a finished cell sends back through Redis: final metrics, per-step metrics, the files of its artifacts
 * (gzip, base64; for the trainer: config, metrics, steps, predictions and the PEFT export) named by their path in
 * its output folder, and the end of the worker's log. Other files of the folder (training checkpoints) stay in the
 * worker's scratch store.
 */
export interface CellPayload {
  hash: string;
  metrics: Record<string, number>;
  artifacts: { name: string; file: string }[];
  files: { path: string; gzip: string }[];
  /** Files the worker put into the cell's MLflow run instead (then `files` is empty); the harness fetches them. */
  manifest?: CellFileEntry[];
  steps: { step: number; name: string; value: number }[];
  /** gzip, base64 of the worker-side log's last MiB. */
  log: string;
  /** `host pid` of the worker process that ran the cell. */
  worker: string;
}

const gzip64 = (bytes: Buffer) => gzipSync(bytes).toString('base64');

/**
 * Packs a finished cell's output folder. Above `maxBytes` of JSON it is a QUEUE_RESULT_TOO_LARGE error and
 * nothing is sent (the cell fails with that message instead of losing files silently). With a `manifest` (the
 * files were put into the cell's MLflow run) the payload carries it instead of the files.
 */
export function packCell(
  input: {
    hash: string;
    outputDir: string;
    result: CellResult;
    steps: CellPayload['steps'];
    log: string;
    worker: string;
  },
  maxBytes = defaultMaxResultBytes,
  manifest?: CellFileEntry[],
): CellPayload {
  const logBytes = Buffer.from(input.log);
  const payload: CellPayload = {
    hash: input.hash,
    metrics: input.result.metrics,
    artifacts: input.result.artifacts.map((a) => ({ name: a.name, file: relative(input.outputDir, a.path) })),
    files: manifest
      ? []
      : [...new Set(input.result.artifacts.map((a) => a.path))].sort().map((path) => ({
          path: relative(input.outputDir, path),
          gzip: gzip64(readFileSync(path)),
        })),
    ...(manifest && { manifest }),
    steps: input.steps,
    log: gzip64(logBytes.subarray(Math.max(0, logBytes.length - logTailBytes))),
    worker: input.worker,
  };
  const bytes = Buffer.byteLength(JSON.stringify(payload));
  if (bytes > maxBytes) throw harnessErrors.queueResultTooLarge(input.hash, bytes, maxBytes);
  return payload;
}

/** A path inside the output folder, or an error for one that would leave it. */
export function insideOutput(dir: string, path: string): string {
  const clean = normalize(path);
  if (isAbsolute(clean) || clean === '..' || clean.startsWith(`..${sep}`))
    throw new Error(`a cell payload names ${path}, outside its output folder`);
  return join(dir, clean);
}

/**
 * Writes a payload's files under `outputDir` (files of its manifest must have been fetched there first) and returns the cell's result with the artifacts at their paths there. */
export function unpackCell(payload: CellPayload, outputDir: string): CellResult {
  mkdirSync(outputDir, { recursive: true });
  for (const f of payload.files) {
    const target = insideOutput(outputDir, f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, gunzipSync(Buffer.from(f.gzip, 'base64')));
  }
  return {
    metrics: payload.metrics,
    artifacts: payload.artifacts.map((a) => ({ name: a.name, path: insideOutput(outputDir, a.file) })),
  };
}

/** The worker-side log text a payload carries. */
export const payloadLog = (payload: Pick<CellPayload, 'log'>) =>
  gunzipSync(Buffer.from(payload.log, 'base64')).toString('utf8');
