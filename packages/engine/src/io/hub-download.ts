import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { downloadFileToCacheDir, modelInfo } from '@huggingface/hub';
import { type HubRef, repoCacheFolder, writeCachedRef } from '@lookright/core';
import { SINGLE_WEIGHTS_FILE, WEIGHTS_INDEX_FILE } from './checkpoint-weights.js';

/** Files fetched next to the weights when the repo has them (config, tokenizer, generation settings). */
const SIDE_FILES = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'tokenizer.model',
  'vocab.txt',
  'vocab.json',
  'merges.txt',
];

/** How to reach the hub: endpoint, token (never logged) and the time allowed for the first metadata request. */
export interface HubAccess {
  hubUrl?: string;
  token?: string;
  metadataTimeoutMs?: number;
}

/**
 * Downloads a checkpoint's config, tokenizer files and safetensors weights into the standard cache layout through
 * @huggingface/hub. The revision is first resolved to its commit sha so every file lands in snapshots/<sha>, and
 * refs/<revision> is written like huggingface_hub does. Returns the snapshot folder.
 */
export async function downloadCheckpoint(
  cacheDir: string,
  ref: HubRef,
  access: HubAccess,
): Promise<{ commit: string; dir: string }> {
  const credentials = access.token ? { accessToken: access.token } : {};
  const timeout = access.metadataTimeoutMs ?? 15_000;
  const info = await modelInfo({
    name: ref.repo,
    revision: ref.revision,
    additionalFields: ['sha', 'filePaths'],
    hubUrl: access.hubUrl,
    fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(timeout) }),
    ...credentials,
  });
  const commit = info.sha;
  const present = new Set(info.filePaths);
  const fetchFile = (path: string) =>
    downloadFileToCacheDir({ repo: ref.repo, path, revision: commit, cacheDir, hubUrl: access.hubUrl, ...credentials });
  for (const path of SIDE_FILES) if (present.has(path)) await fetchFile(path);
  if (present.has(WEIGHTS_INDEX_FILE)) {
    const indexPath = await fetchFile(WEIGHTS_INDEX_FILE);
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { weight_map?: Record<string, string> };
    for (const shard of new Set(Object.values(index.weight_map ?? {}))) await fetchFile(shard);
  } else if (present.has(SINGLE_WEIGHTS_FILE)) await fetchFile(SINGLE_WEIGHTS_FILE);
  writeCachedRef(cacheDir, ref, commit);
  return { commit, dir: join(repoCacheFolder(cacheDir, ref.repo), 'snapshots', commit) };
}
