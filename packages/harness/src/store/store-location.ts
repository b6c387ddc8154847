import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { nearestName } from '@lookright/core';

/** The database file inside a store folder. */
export const storeFileName = 'lookright.sqlite';

/** Whether `dir` holds a run store. */
export const holdsStore = (dir: string): boolean => existsSync(join(dir, storeFileName));

/**
 * For a --store folder that holds no store: the store folder beside it whose name is nearest (a typo of
 * `lookright-runs` finds `lookright-runs`), written the way `dir` was given, or undefined when none is close.
 */
export function nearestStoreDir(dir: string): string | undefined {
  const parent = dirname(dir);
  let stores: string[];
  try {
    stores = readdirSync(parent, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && holdsStore(join(parent, entry.name)))
      .map((entry) => entry.name);
  } catch {
    return undefined;
  }
  const nearest = nearestName(basename(dir), stores);
  return nearest === undefined ? undefined : join(parent, nearest);
}
