import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** File URL of a dependency's entry, for the worker's dynamic import (works whether this file runs as ESM or CJS). */
function entryUrl(name: string): string {
  return pathToFileURL(createRequire(import.meta.url).resolve(name)).href;
}

/** What decoding a parquet file's word and tag columns gave. */
export type ParquetDecodeResult =
  | { kind: 'ok'; columns: unknown[][]; huggingface?: string }
  | { kind: 'missing'; column: string; available: string[] }
  | { kind: 'failed'; reason: string };

/** How long one file may take to decode before it is declared corrupt. Valid files of ~1 MB take well under 1 s. */
export const parquetDecodeTimeoutMs = 60_000;

// Runs in a worker: hyparquet 1.31 loops forever on some corrupt footers (a one-byte change can do it), and
// synchronous code can only be stopped by terminating the thread it runs on.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const hp = await import(workerData.hyparquetUrl);
  const { compressors } = await import(workerData.compressorsUrl);
  const buffer = workerData.buffer;
  let metadata, available;
  try {
    metadata = hp.parquetMetadata(buffer);
    available = hp.parquetSchema(metadata).children.map((c) => c.element.name);
  } catch (e) {
    parentPort.postMessage({ kind: 'failed', reason: 'not a readable parquet file (' + (e && e.message) + ')' });
    return;
  }
  const missing = workerData.columns.find((c) => !available.includes(c));
  if (missing !== undefined) {
    parentPort.postMessage({ kind: 'missing', column: missing, available });
    return;
  }
  try {
    const rows = await hp.parquetReadObjects({ file: buffer, metadata, columns: workerData.columns, compressors });
    const kv = (metadata.key_value_metadata || []).find((e) => e.key === 'huggingface');
    parentPort.postMessage({ kind: 'ok', columns: workerData.columns.map((c) => rows.map((r) => r[c])), huggingface: kv && kv.value });
  } catch (e) {
    parentPort.postMessage({ kind: 'failed', reason: 'cannot decode the columns (' + (e && e.message) + ')' });
  }
})();
`;

/**
 * Decodes the named columns of an in-memory parquet file with hyparquet on a worker thread, so a corrupt file that
 * sends hyparquet into an endless loop, or makes it reject outside the awaited promise, ends as `failed` instead
 * of hanging or ending the process.
 */
export function decodeParquetColumns(
  buffer: ArrayBuffer,
  columns: readonly string[],
  timeoutMs = parquetDecodeTimeoutMs,
): Promise<ParquetDecodeResult> {
  return new Promise((resolve) => {
    const worker = new Worker(workerSource, {
      eval: true,
      // plain JavaScript runs there: skip the parent's loaders (tsx), which would cost each worker ~0.3 s
      execArgv: [],
      workerData: {
        buffer,
        columns: [...columns],
        hyparquetUrl: entryUrl('hyparquet'),
        compressorsUrl: entryUrl('hyparquet-compressors'),
      },
    });
    let done = false;
    const finish = (result: ParquetDecodeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ kind: 'failed', reason: `hyparquet did not finish decoding within ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
    worker.on('message', (message: ParquetDecodeResult) => finish(message));
    worker.on('error', (error) => finish({ kind: 'failed', reason: `decoding failed (${error.message})` }));
    worker.on('exit', (code) => finish({ kind: 'failed', reason: `the decoder stopped (exit code ${code})` }));
  });
}
