import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

/** One artifact file made durable: its content hash and size, read back from disk after fsync. */
export interface DurableFile {
  path: string;
  sha256: string;
  bytes: number;
}

function fsyncPath(path: string, flags: string): void {
  const fd = openSync(path, flags);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Flushes a file and its folder entry to disk, then hashes it. After this returns the file survives a power
 * cut, so a commit that records it may follow.
 */
export function makeDurable(path: string): DurableFile {
  fsyncPath(path, 'r');
  fsyncPath(dirname(path), 'r');
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { path, sha256: hash.digest('hex'), bytes };
}

/**
 * Moves a finished attempt's folder to the output folder with one rename, then fsyncs the parent folder(s) so the
 * move survives a power cut. An output folder already there (left by an attempt whose result was never recorded)
 * is moved aside first and removed.
 */
export function promoteFolder(promotion: { from: string; to: string }, attemptId: number): void {
  const from = resolve(promotion.from);
  const to = resolve(promotion.to);
  if (existsSync(to)) {
    const aside = `${to}.replaced-by-${attemptId}`;
    renameSync(to, aside);
    rmSync(aside, { recursive: true, force: true });
  }
  renameSync(from, to);
  fsyncPath(dirname(to), 'r');
  if (dirname(from) !== dirname(to)) fsyncPath(dirname(from), 'r');
}

/** Where a file under `promotion.from` lies once the folder is promoted (a file elsewhere keeps its path). */
export function promotedPath(path: string, promotion: { from: string; to: string }): string {
  const inside = relative(resolve(promotion.from), resolve(path));
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return path;
  return resolve(promotion.to, inside);
}
