import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A repo on the Hugging Face hub and the revision asked for (branch, tag, `refs/convert/parquet` or commit sha). */
export interface HubRef {
  repo: string;
  revision: string;
}

const REPO_ID = /^(?:[A-Za-z0-9][\w.-]*\/)?[A-Za-z0-9][\w.-]*$/;
const REVISION = /^[\w][\w./-]*$/;
const COMMIT_SHA = /^[0-9a-f]{40}$/;

/** Parses `org/name` or `org/name@revision` (revision defaults to `main`); undefined when it is not a repo id. */
export function parseRepoId(spec: string): HubRef | undefined {
  const at = spec.indexOf('@');
  const repo = at < 0 ? spec : spec.slice(0, at);
  const revision = at < 0 ? 'main' : spec.slice(at + 1);
  if (!REPO_ID.test(repo) || repo.includes('..') || !REVISION.test(revision) || revision.includes('..'))
    return undefined;
  return { repo, revision };
}

/** True for a full 40-hex commit sha, which names an immutable snapshot. */
export function isCommitSha(revision: string): boolean {
  return COMMIT_SHA.test(revision);
}

/** The two kinds of hub repo lookright caches: checkpoints (backbones) and datasets. */
export type HubRepoType = 'model' | 'dataset';

/** The cache folder of one repo: `models--org--name` or `datasets--org--name`, as huggingface_hub lays it out. */
export function repoCacheFolder(cacheDir: string, repo: string, type: HubRepoType = 'model'): string {
  return join(cacheDir, `${type}s--${repo.split('/').join('--')}`);
}

/** Where a revision was looked for in the cache, and its snapshot when found. */
export interface SnapshotLookup {
  snapshot?: { commit: string; dir: string };
  /** One line saying what was checked, for a not-found error. */
  tried: string;
}

/**
 * Finds the snapshot of a cached revision: a commit sha directly, otherwise the sha `refs/<revision>` holds (a
 * revision with slashes, e.g. `refs/convert/parquet`, is looked up both as nested folders and URL-encoded).
 */
export function findCachedSnapshot(cacheDir: string, ref: HubRef, type: HubRepoType = 'model'): SnapshotLookup {
  const folder = repoCacheFolder(cacheDir, ref.repo, type);
  const where = `${ref.repo}@${ref.revision} in the HF cache ${folder}`;
  if (!existsSync(folder)) return { tried: `${where} (not cached)` };
  let commit: string | undefined = isCommitSha(ref.revision) ? ref.revision : undefined;
  if (!commit) {
    const refFile = [ref.revision, encodeURIComponent(ref.revision)]
      .map((name) => join(folder, 'refs', name))
      .find((file) => existsSync(file));
    if (!refFile) return { tried: `${where} (no refs/${ref.revision})` };
    commit = readFileSync(refFile, 'utf8').trim();
    if (!isCommitSha(commit)) return { tried: `${where} (refs/${ref.revision} holds no commit sha)` };
  }
  const dir = join(folder, 'snapshots', commit);
  if (!existsSync(dir)) return { tried: `${where} (refs/${ref.revision} names ${commit}, not in snapshots/)` };
  return { snapshot: { commit, dir }, tried: where };
}

/** The snapshot a revision points to in the cache, if it is recorded (see findCachedSnapshot). */
export function cachedSnapshot(
  cacheDir: string,
  ref: HubRef,
  type: HubRepoType = 'model',
): { commit: string; dir: string } | undefined {
  return findCachedSnapshot(cacheDir, ref, type).snapshot;
}

/**
 * Records that a branch or tag points at a commit, as huggingface_hub does (refs/<revision>). Downloads write it
 * last, after every file is in snapshots/<commit>, so an interrupted download is never taken for a cached one.
 */
export function writeCachedRef(cacheDir: string, ref: HubRef, commit: string, type: HubRepoType = 'model'): void {
  if (isCommitSha(ref.revision)) return;
  const refFile = join(repoCacheFolder(cacheDir, ref.repo, type), 'refs', ref.revision);
  mkdirSync(dirname(refFile), { recursive: true });
  writeFileSync(refFile, commit);
}
