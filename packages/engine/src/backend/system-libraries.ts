/** Looks for the shared libraries and Vulkan driver files a WebGPU adapter needs, to name what is missing. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const LIBRARY_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/lib/x86_64-linux-gnu',
  '/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/lib64',
  '/lib',
  '/usr/local/lib',
];

const ICD_DIRS = ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

/** The path of a shared library in the system's usual folders or LD_LIBRARY_PATH, or undefined when absent. */
export function findSharedLibrary(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const extra = (env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  for (const dir of [...extra, ...LIBRARY_DIRS]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** The Vulkan ICD (driver manifest) files installed, e.g. nvidia_icd.json, lvp_icd.x86_64.json. */
export function vulkanIcdFiles(dirs: readonly string[] = ICD_DIRS): string[] {
  const found: string[] = [];
  for (const dir of dirs) {
    try {
      for (const f of readdirSync(dir)) if (f.endsWith('.json')) found.push(join(dir, f));
    } catch {
      // folder absent: no driver there
    }
  }
  return found;
}
