import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A dataset repo and revision on the Hugging Face hub. */
export interface HubRef {
  repo: string;
  /** Branch, tag, `refs/convert/parquet`, or a 40-hex commit. */
  revision: string;
}

/** `datasets--org--name`, the cache folder of a dataset repo. */
export function repoFolderName(repo: string): string {
  return `datasets--${repo.split('/').join('--')}`;
}

/** Where a snapshot was looked for, and the folder when found. */
export interface SnapshotLookup {
  snapshotDir?: string;
  /** One line saying what was checked, for the not-found error. */
  tried: string;
}

/**
 * Finds the snapshot folder of a cached dataset revision: a commit hash directly, otherwise the hash that
 * `refs/<revision>` holds (a revision with slashes is looked up both as nested folders and URL-encoded).
 */
export function findCachedSnapshot(cacheDir: string, ref: HubRef): SnapshotLookup {
  const repoDir = join(cacheDir, repoFolderName(ref.repo));
  const where = `${ref.repo}@${ref.revision} in the HF cache ${repoDir}`;
  if (!existsSync(repoDir)) return { tried: `${where} (not cached)` };
  let commit: string | undefined;
  if (/^[0-9a-f]{40}$/.test(ref.revision)) commit = ref.revision;
  else {
    for (const refFile of [
      join(repoDir, 'refs', ref.revision),
      join(repoDir, 'refs', encodeURIComponent(ref.revision)),
    ]) {
      if (existsSync(refFile)) {
        commit = readFileSync(refFile, 'utf8').trim();
        break;
      }
    }
  }
  if (!commit) return { tried: `${where} (no refs/${ref.revision})` };
  const snapshotDir = join(repoDir, 'snapshots', commit);
  if (!existsSync(snapshotDir)) return { tried: `${where} (refs/${ref.revision} names ${commit}, not in snapshots/)` };
  return { snapshotDir, tried: where };
}
