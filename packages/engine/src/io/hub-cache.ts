import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A model repo on the Hugging Face hub and the revision asked for (branch, tag or commit sha). */
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

/** The cache folder of one model repo: `models--org--name`. */
export function repoCacheFolder(cacheDir: string, repo: string): string {
  return join(cacheDir, `models--${repo.split('/').join('--')}`);
}

/** The snapshot a revision points to in the cache (refs/<revision> holds the commit sha), if it is recorded. */
export function cachedSnapshot(cacheDir: string, ref: HubRef): { commit: string; dir: string } | undefined {
  const folder = repoCacheFolder(cacheDir, ref.repo);
  let commit = ref.revision;
  if (!isCommitSha(commit)) {
    const refFile = join(folder, 'refs', ref.revision);
    if (!existsSync(refFile)) return undefined;
    commit = readFileSync(refFile, 'utf8').trim();
    if (!isCommitSha(commit)) return undefined;
  }
  const dir = join(folder, 'snapshots', commit);
  return existsSync(dir) ? { commit, dir } : undefined;
}

/** Records that a branch or tag points at a commit, as huggingface_hub does (refs/<revision>). */
export function writeCachedRef(cacheDir: string, ref: HubRef, commit: string): void {
  if (isCommitSha(ref.revision)) return;
  const refFile = join(repoCacheFolder(cacheDir, ref.repo), 'refs', ref.revision);
  mkdirSync(dirname(refFile), { recursive: true });
  writeFileSync(refFile, commit);
}
