import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRegistry, type PluginRegistry } from '@lookright/core';

/** This package's folder (where its package.json is). */
export const maskPluginsDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * A registry holding only the mask strategies: this package's, plus the plugin packages in `extra` (paths or
 * package names as a suite's `plugins:` list gives them, resolved against `baseDir`). Commands that only read a
 * `--mask` argument use it instead of importing every workspace plugin.
 */
export async function loadMaskRegistry(
  extra: readonly string[] = [],
  baseDir = process.cwd(),
): Promise<PluginRegistry> {
  return await loadRegistry({ workspace: false, extra: [maskPluginsDir, ...extra], baseDir });
}
