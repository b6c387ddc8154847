import { readFileSync } from 'node:fs';
import { downloadHubSnapshot, type HubAccess, type HubRef } from '@lookright/core';
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

/**
 * Downloads a checkpoint's config, tokenizer files and safetensors weights into the standard cache layout (core's
 * downloadHubSnapshot: the revision pinned to its commit, refs/<revision> written last). Returns the snapshot.
 */
export function downloadCheckpoint(
  cacheDir: string,
  ref: HubRef,
  access: HubAccess,
): Promise<{ commit: string; dir: string }> {
  return downloadHubSnapshot(cacheDir, ref, 'model', access, async (pinned) => {
    const present = new Set(pinned.files);
    for (const path of SIDE_FILES) if (present.has(path)) await pinned.fetch(path);
    if (present.has(WEIGHTS_INDEX_FILE)) {
      const indexPath = await pinned.fetch(WEIGHTS_INDEX_FILE);
      const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { weight_map?: Record<string, string> };
      for (const shard of new Set(Object.values(index.weight_map ?? {}))) await pinned.fetch(shard);
    } else if (present.has(SINGLE_WEIGHTS_FILE)) await pinned.fetch(SINGLE_WEIGHTS_FILE);
  });
}
