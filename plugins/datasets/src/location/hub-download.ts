import { join } from 'node:path';
import { datasetInfo, downloadFileToCacheDir, listFiles } from '@huggingface/hub';
import { type HubRef, repoCacheFolder, writeCachedRef } from '@lookright/core';

/** Files of a dataset repo that lookright reads: the parquet data and the class-label metadata. */
function wanted(path: string): boolean {
  return path.endsWith('.parquet') || path === 'README.md' || path === 'dataset_infos.json';
}

/** How to reach the hub, from the plugin's environment. */
export interface DatasetHubAccess {
  /** HF_ENDPOINT, else huggingface.co. */
  hubUrl?: string;
  /** HF_TOKEN; sent to the hub only, never printed. */
  token?: string;
  /** Limit for the first metadata request (an unreachable hub fails fast). */
  metadataTimeoutMs?: number;
}

/**
 * Downloads a dataset repo's parquet files (and README.md / dataset_infos.json, which hold the class labels) at
 * `ref` into the standard HF cache through @huggingface/hub: the revision is resolved to its commit first, every
 * file lands in snapshots/<commit>, and refs/<revision> is written last, as huggingface_hub does, so an interrupted
 * download is never taken for a cached one. Returns the snapshot folder.
 */
export async function downloadDatasetSnapshot(
  cacheDir: string,
  ref: HubRef,
  access: DatasetHubAccess,
): Promise<string> {
  const credentials = access.token ? { accessToken: access.token } : {};
  const timeout = access.metadataTimeoutMs ?? 15_000;
  const info = await datasetInfo({
    name: ref.repo,
    revision: ref.revision,
    additionalFields: ['sha'],
    hubUrl: access.hubUrl,
    fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeout) }),
    ...credentials,
  });
  const commit = info.sha;
  const repo = { type: 'dataset' as const, name: ref.repo };
  const paths: string[] = [];
  for await (const entry of listFiles({
    repo,
    revision: commit,
    recursive: true,
    hubUrl: access.hubUrl,
    ...credentials,
  })) {
    if (entry.type === 'file' && wanted(entry.path)) paths.push(entry.path);
  }
  for (const path of paths) {
    await downloadFileToCacheDir({ repo, path, revision: commit, cacheDir, hubUrl: access.hubUrl, ...credentials });
  }
  writeCachedRef(cacheDir, ref, commit, 'dataset');
  return join(repoCacheFolder(cacheDir, ref.repo, 'dataset'), 'snapshots', commit);
}
