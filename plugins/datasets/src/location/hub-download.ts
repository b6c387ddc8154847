import { downloadHubSnapshot, type HubAccess, type HubRef } from '@lookright/core';

/** Files of a dataset repo that lookright reads: the parquet data and the class-label metadata. */
function wanted(path: string): boolean {
  return path.endsWith('.parquet') || path === 'README.md' || path === 'dataset_infos.json';
}

/**
 * Downloads a dataset repo's parquet files (and README.md / dataset_infos.json, which hold the class labels) at
 * `ref` into the standard HF cache (core's downloadHubSnapshot: the revision pinned to its commit, refs/<revision>
 * written last). Returns the snapshot folder.
 */
export async function downloadDatasetSnapshot(cacheDir: string, ref: HubRef, access: HubAccess): Promise<string> {
  const { dir } = await downloadHubSnapshot(cacheDir, ref, 'dataset', access, async (pinned) => {
    for (const path of pinned.files.filter(wanted)) await pinned.fetch(path);
  });
  return dir;
}
