import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SharedDependencyData } from './resolve-hook.js';

let installed = false;

/** URL of the module that installs the resolution when given to `node --import` (after tsx). */
export const sharedDependencyEntry = new URL('./register.ts', import.meta.url).href;

interface PackageJson {
  name?: string;
  dependencies?: Record<string, string>;
}

const readPackageJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as PackageJson;

/** `@lookright/*` packages of the workspace at `root` (packages/* and plugins/*), by name. */
function workspacePackages(root: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const group of ['packages', 'plugins']) {
    const groupDir = join(root, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of readdirSync(groupDir, { withFileTypes: true })) {
      const file = join(groupDir, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const { name } = readPackageJson(file);
      if (name?.startsWith('@lookright/')) found[name] = pathToFileURL(file).href;
    }
  }
  return found;
}

/**
 * Lets plugin packages outside the lookright checkout at `root` import `@lookright/*` and `@lookright/core`'s own
 * dependencies (inversify, ...) without installing them: when such an import does not resolve from the plugin's
 * folder, it resolves to lookright's copy. Installed once per process (later calls do nothing), before the first
 * plugin module is imported; a plugin's own installed copies still win.
 */
export function installSharedDependencyResolution(root: string): void {
  if (installed) return;
  installed = true;
  const coreFile = join(root, 'packages', 'core', 'package.json');
  const data: SharedDependencyData = {
    rootUrl: pathToFileURL(join(root, '/')).href,
    workspacePackages: workspacePackages(root),
    coreDependencies: Object.keys(readPackageJson(coreFile).dependencies ?? {}),
    coreUrl: pathToFileURL(coreFile).href,
  };
  register('./resolve-hook.ts', import.meta.url, { data });
}
