import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** One cached digest: valid while the file keeps its size, modification time (ns) and inode. */
interface Entry {
  size: string;
  mtimeNs: string;
  ino: string;
  sha256: string;
}

/**
 * lookright's cache folder: LOOKRIGHT_CACHE_DIR, else $XDG_CACHE_HOME/lookright, else ~/.cache/lookright. It sits
 * outside any run store because one checkpoint serves every store on the machine.
 */
export function lookrightCacheDir(env: Env): string {
  return env.LOOKRIGHT_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'lookright');
}

function hashFile(path: string): string {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(8 * 1024 * 1024);
  const fd = openSync(path, 'r');
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * sha256 of files, remembered in `<cache>/file-sha256.json` by absolute path, size, mtime (ns) and inode, so a
 * 7B checkpoint (13 GB) is read once, not at every expansion. A file replaced at the same path gets a new inode or
 * mtime and is hashed again. The JSON is written whole (temp file + rename); when it cannot be written, digests are
 * still computed and `onNote` says why they are not kept.
 */
export class FileDigestCache {
  private readonly file: string;
  private entries: Record<string, Entry> | undefined;
  private dirty = false;

  constructor(
    env: Env,
    private readonly onNote: (line: string) => void = () => {},
  ) {
    this.file = join(lookrightCacheDir(env), 'file-sha256.json');
  }

  private load(): Record<string, Entry> {
    if (this.entries) return this.entries;
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      this.entries = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, Entry>) : {};
    } catch {
      this.entries = {};
    }
    return this.entries;
  }

  /** The sha256 (hex) of a file's bytes, from the cache when the file is unchanged. */
  sha256(path: string): string {
    const absolute = resolve(path);
    const stat = statSync(absolute, { bigint: true });
    const key = { size: String(stat.size), mtimeNs: String(stat.mtimeNs), ino: String(stat.ino) };
    const cached = this.load()[absolute];
    if (cached && cached.size === key.size && cached.mtimeNs === key.mtimeNs && cached.ino === key.ino)
      return cached.sha256;
    const sha256 = hashFile(absolute);
    this.load()[absolute] = { ...key, sha256 };
    this.dirty = true;
    return sha256;
  }

  /** Writes new digests to the cache file. */
  save(): void {
    if (!this.dirty) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(this.load()));
      renameSync(temp, this.file);
      this.dirty = false;
    } catch (error) {
      this.onNote(`checkpoint digests are not cached (${this.file}: ${(error as Error).message})`);
    }
  }
}
