import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ContainerModule } from 'inversify';
import { errors } from './errors.js';
import type { PluginPackage } from './plugin-registry.js';

interface PackageJson {
  name?: string;
  version?: string;
  lookright?: { plugin?: string };
}

/** The nearest folder at or above `start` holding pnpm-workspace.yaml, or undefined. */
export function findWorkspaceRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Folders under `<root>/plugins/` whose package.json declares `lookright.plugin`. */
export function workspacePluginDirs(root: string): string[] {
  const pluginsDir = join(root, 'plugins');
  if (!existsSync(pluginsDir)) return [];
  return readdirSync(pluginsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(pluginsDir, e.name, 'package.json')))
    .map((e) => join(pluginsDir, e.name))
    .filter((dir) => readPackageJson(dir).lookright?.plugin !== undefined)
    .sort();
}

/**
 * Resolves a suite's `plugins:` entry: a path (relative to `baseDir`) or a package name found in a node_modules
 * folder at or above `baseDir`.
 */
export function resolvePluginDir(spec: string, baseDir: string): string {
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const dir = resolve(baseDir, spec);
    if (existsSync(join(dir, 'package.json'))) return dir;
    throw errors.pluginNotFound(spec, [join(dir, 'package.json')]);
  }
  const tried: string[] = [];
  let dir = resolve(baseDir);
  for (;;) {
    const candidate = join(dir, 'node_modules', spec);
    tried.push(candidate);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw errors.pluginNotFound(spec, tried);
    dir = parent;
  }
}

function readPackageJson(dir: string): PackageJson {
  const file = join(dir, 'package.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch (cause) {
    throw errors.pluginPackageInvalid(file, `package.json is unreadable: ${(cause as Error).message}`);
  }
}

function isContainerModule(value: unknown): value is ContainerModule {
  return typeof value === 'object' && value !== null && typeof (value as { load?: unknown }).load === 'function';
}

/** Imports the ContainerModule a plugin package declares in `lookright.plugin`. */
export async function importPluginPackage(dir: string): Promise<PluginPackage> {
  const pkg = readPackageJson(dir);
  const name = pkg.name ?? dir;
  const entry = pkg.lookright?.plugin;
  if (!entry) throw errors.pluginPackageInvalid(name, 'package.json has no "lookright": {"plugin": ...} field');
  const modulePath = resolve(dir, entry);
  if (!existsSync(modulePath))
    throw errors.pluginPackageInvalid(name, `its plugin module ${modulePath} does not exist`);
  let imported: { default?: unknown };
  try {
    imported = (await import(pathToFileURL(modulePath).href)) as { default?: unknown };
  } catch (cause) {
    throw errors.pluginPackageInvalid(name, `importing ${modulePath} failed: ${(cause as Error).message}`);
  }
  if (!isContainerModule(imported.default)) {
    throw errors.pluginPackageInvalid(name, `${modulePath} does not default-export a ContainerModule`);
  }
  return {
    origin: { packageName: name, packageVersion: pkg.version ?? '0.0.0', packageDir: dir },
    module: imported.default,
  };
}
