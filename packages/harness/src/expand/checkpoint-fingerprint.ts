import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckpointFingerprint } from './cell-types.js';
import type { FileDigestCache } from './file-digest-cache.js';

/** A snapshot folder of the Hugging Face cache: `.../models--org--name/snapshots/<commit>`. */
const hubSnapshot = /[\\/]models--[^\\/]+[\\/]snapshots[\\/][^\\/]+[\\/]?$/;

/**
 * What a backbone's weights are, for the cell hash: the sha256 of every file of a local checkpoint folder (config,
 * tokenizer and weight files; hidden files and *.md left out), so replacing model.safetensors at the same path
 * makes new cells. Undefined for a folder of the Hugging Face cache, whose files are content-addressed blobs
 * identified by the repo id and revision the suite names (pin a commit sha there for an exact identity), and for a
 * folder without config.json, which is no checkpoint.
 */
export function checkpointFingerprint(modelDir: string, digests: FileDigestCache): CheckpointFingerprint | undefined {
  if (hubSnapshot.test(modelDir) || !existsSync(join(modelDir, 'config.json'))) return undefined;
  const names = readdirSync(modelDir)
    .filter((name) => !name.startsWith('.') && !name.endsWith('.md'))
    .filter((name) => statSync(join(modelDir, name)).isFile())
    .sort();
  return { files: names.map((name) => ({ name, sha256: digests.sha256(join(modelDir, name)) })) };
}
