import { join } from 'node:path';
import { datasetInfo, downloadFileToCacheDir, listFiles, modelInfo } from '@huggingface/hub';
import { type HubRef, type HubRepoType, repoCacheFolder, writeCachedRef } from './hub-cache.js';

/** How to reach the hub: endpoint (HF_ENDPOINT), token (HF_TOKEN; sent to the hub only, never printed), and the
 * time allowed for the first metadata request (an unreachable hub fails fast). */
export interface HubAccess {
  hubUrl?: string;
  token?: string;
  metadataTimeoutMs?: number;
}

/** A revision resolved to its commit: the repo's file list there, and a fetcher of one file into the cache. */
export interface PinnedRevision {
  commit: string;
  files: readonly string[];
  /** Downloads `path` at the commit into snapshots/<commit> (a cached file is not fetched again); its local path. */
  fetch(path: string): Promise<string>;
}

async function pinRevision(
  cacheDir: string,
  ref: HubRef,
  type: HubRepoType,
  access: HubAccess,
): Promise<PinnedRevision> {
  const credentials = access.token ? { accessToken: access.token } : {};
  const timeout = access.metadataTimeoutMs ?? 15_000;
  const metadata = {
    name: ref.repo,
    revision: ref.revision,
    hubUrl: access.hubUrl,
    fetch: (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      fetch(input, { ...init, signal: AbortSignal.timeout(timeout) }),
    ...credentials,
  };
  let commit: string;
  const files: string[] = [];
  if (type === 'model') {
    const info = await modelInfo({ ...metadata, additionalFields: ['sha', 'filePaths'] });
    commit = info.sha;
    files.push(...info.filePaths);
  } else {
    commit = (await datasetInfo({ ...metadata, additionalFields: ['sha'] })).sha;
    const listing = listFiles({
      repo: { type, name: ref.repo },
      revision: commit,
      recursive: true,
      hubUrl: access.hubUrl,
      ...credentials,
    });
    for await (const entry of listing) if (entry.type === 'file') files.push(entry.path);
  }
  const repo = type === 'model' ? ref.repo : { type, name: ref.repo };
  return {
    commit,
    files,
    fetch: (path) =>
      downloadFileToCacheDir({ repo, path, revision: commit, cacheDir, hubUrl: access.hubUrl, ...credentials }),
  };
}

/**
 * Downloads a snapshot of a hub repo into the standard HF cache through @huggingface/hub, the one way the engine
 * (checkpoints) and the dataset plugins (parquet files) do it: the revision is resolved to its commit first,
 * `fetchFiles` fetches what its caller needs into snapshots/<commit>, and refs/<revision> is written last, as
 * huggingface_hub does, so an interrupted download is never taken for a cached one.
 */
export async function downloadHubSnapshot(
  cacheDir: string,
  ref: HubRef,
  type: HubRepoType,
  access: HubAccess,
  fetchFiles: (pinned: PinnedRevision) => Promise<void>,
): Promise<{ commit: string; dir: string }> {
  const pinned = await pinRevision(cacheDir, ref, type, access);
  await fetchFiles(pinned);
  writeCachedRef(cacheDir, ref, pinned.commit, type);
  return { commit: pinned.commit, dir: join(repoCacheFolder(cacheDir, ref.repo, type), 'snapshots', pinned.commit) };
}
