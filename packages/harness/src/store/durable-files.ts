import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';

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
