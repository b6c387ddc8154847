import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  cachedSnapshot,
  describeFailure,
  type HubRef,
  hubCacheDir,
  hubOffline,
  hubToken,
  isCommitSha,
  parseRepoId,
  redactToken,
} from '@lookright/core';
import { engineErrors } from '../errors.js';
import { missingCheckpointFiles } from './checkpoint-weights.js';
import { downloadCheckpoint } from './hub-download.js';

/** Where a checkpoint folder came from; log it with the run (it never contains the token). */
export interface ModelSource {
  /** The folder holding config.json and the weights. */
  dir: string;
  /** `local`: a folder path; `hub-cache`: resolved from the cache without downloading; `hub-download`: fetched. */
  kind: 'local' | 'hub-cache' | 'hub-download';
  repo?: string;
  revision?: string;
  commit?: string;
  /** Why the cache was used without asking the hub, e.g. offline mode or an unreachable hub. */
  note?: string;
}

/** Options for resolving a model: the environment to read HF_* variables from, and a sink for notices. */
export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  /** Called with one line when the cache is used because the hub is unreachable. */
  onNotice?: (line: string) => void;
}

/**
 * Resolves `--model`: a local folder, or a hub repo id `org/name[@revision]`. A repo id is looked up in the HF
 * cache (HF_HUB_CACHE / HF_HOME) without the network when HF_HUB_OFFLINE=1, when the revision is a commit sha
 * already cached, or when the hub is unreachable and the revision is cached; otherwise it is downloaded with
 * HF_TOKEN (never printed) into that cache.
 */
export async function resolveModelSource(spec: string, options: ResolveOptions = {}): Promise<ModelSource> {
  const env = options.env ?? process.env;
  const local = folderIfExists(spec);
  if (local) return { dir: local, kind: 'local' };
  const ref = looksLikePath(spec) ? undefined : parseRepoId(spec);
  if (!ref) throw engineErrors.modelSourceNotFound(spec);
  const cacheDir = hubCacheDir(env);
  const cached = completeSnapshot(cacheDir, ref);
  const hubSource = (kind: ModelSource['kind'], dir: string, commit: string, note?: string): ModelSource => ({
    dir,
    kind,
    repo: ref.repo,
    revision: ref.revision,
    commit,
    ...(note ? { note } : {}),
  });
  if (hubOffline(env)) {
    if (cached.snapshot && !cached.missing.length)
      return hubSource('hub-cache', cached.snapshot.dir, cached.snapshot.commit, 'HF_HUB_OFFLINE=1');
    throw engineErrors.hubNotCached(ref.repo, ref.revision, cacheDir, `HF_HUB_OFFLINE=1 and ${cached.reason}`);
  }
  if (cached.snapshot && !cached.missing.length && isCommitSha(ref.revision))
    return hubSource('hub-cache', cached.snapshot.dir, cached.snapshot.commit, 'commit already cached');
  const token = hubToken(env);
  try {
    const got = await downloadCheckpoint(cacheDir, ref, { hubUrl: env.HF_ENDPOINT || undefined, token });
    return hubSource('hub-download', got.dir, got.commit);
  } catch (error) {
    const reason = redactToken(describeFailure(error), token);
    if (!isNetworkError(error)) throw engineErrors.hubDownloadFailed(ref.repo, ref.revision, 'the checkpoint', reason);
    if (cached.snapshot && !cached.missing.length) {
      const note = `hub unreachable (${reason}); using the cached snapshot`;
      options.onNotice?.(`${ref.repo}@${ref.revision}: ${note} ${cached.snapshot.commit}`);
      return hubSource('hub-cache', cached.snapshot.dir, cached.snapshot.commit, note);
    }
    throw engineErrors.hubUnreachable(ref.repo, ref.revision, reason);
  }
}

function completeSnapshot(cacheDir: string, ref: HubRef) {
  const snapshot = cachedSnapshot(cacheDir, ref);
  if (!snapshot) return { snapshot, missing: [], reason: 'the revision is not recorded in the cache' };
  const missing = missingCheckpointFiles(snapshot.dir);
  return { snapshot, missing, reason: `the cached snapshot ${snapshot.commit} lacks ${missing.join(', ')}` };
}

function folderIfExists(spec: string): string | undefined {
  try {
    return statSync(spec).isDirectory() ? resolve(spec) : undefined;
  } catch {
    return undefined;
  }
}

function looksLikePath(spec: string): boolean {
  return /^(\.{1,2}|~)?\//.test(spec) || spec.startsWith('.') || spec.includes('\\');
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

/** True when the error means the hub could not be reached at all (as opposed to an HTTP answer such as 404). */
export function isNetworkError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && NETWORK_CODES.has(code)) return true;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
    if (e instanceof TypeError && e.message === 'fetch failed') return true;
  }
  return false;
}
