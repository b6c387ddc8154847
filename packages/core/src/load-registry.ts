import { fileURLToPath } from 'node:url';
import { findWorkspaceRoot, importPluginPackage, resolvePluginDir, workspacePluginDirs } from './plugin-discovery.js';
import { PluginRegistry } from './plugin-registry.js';
import { installSharedDependencyResolution } from './shared-dependencies/install.js';

/** Where to look for plugins. */
export interface PluginSources {
  /** Include the lookright workspace's own plugins/ (default true). */
  workspace?: boolean;
  /** Extra entries as a suite's `plugins:` list gives them. */
  extra?: readonly string[];
  /** Folder the extra entries are resolved against. */
  baseDir?: string;
}

/** The lookright workspace this code runs from. */
export function lookrightRoot(): string {
  const root = findWorkspaceRoot(fileURLToPath(new URL('.', import.meta.url)));
  if (!root) throw new Error('lookright must run from its pnpm workspace');
  return root;
}

/**
 * Discovers, imports and registers plugins. No plugin is registered by importing anything else. Plugin packages
 * outside the checkout get lookright's own `@lookright/*` and inversify (see installSharedDependencyResolution).
 */
export async function loadRegistry(sources: PluginSources = {}): Promise<PluginRegistry> {
  installSharedDependencyResolution(lookrightRoot());
  const dirs = sources.workspace === false ? [] : workspacePluginDirs(lookrightRoot());
  for (const spec of sources.extra ?? []) dirs.push(resolvePluginDir(spec, sources.baseDir ?? process.cwd()));
  const unique = [...new Set(dirs)];
  const packages = await Promise.all(unique.map(importPluginPackage));
  return PluginRegistry.fromPackages(packages);
}
