// Root preinstall of the workspace (runs before any dependency is built): puts this Node's own headers into
// node-gyp's cache folder (<devdir>/<version>/include/node, a link to <node prefix>/include/node, plus the
// installVersion stamp node-gyp checks), so node-gyp builds better-sqlite3 without downloading the headers,
// which an offline machine cannot. Does nothing when the headers are not installed beside Node, when the
// cache already holds this version, or on Windows (node-gyp needs node.lib there). Never fails the install.
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { matchingNodedir, nodeGypCandidates } from './node-headers.mjs';

/** node-gyp's devdir: npm_config_devdir, else its per-user cache folder (as node-gyp's env-paths computes it). */
function nodeGypDevDir(env = process.env, platform = process.platform) {
  if (env.npm_config_devdir) return env.npm_config_devdir.replace(/^~/, homedir());
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'node-gyp');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'node-gyp');
}

/** The layout version node-gyp requires of its cache: the highest among the node-gyps that may run (11 today). */
function requiredInstallVersion(env) {
  const versions = nodeGypCandidates(env).map((script) => {
    const pkg = JSON.parse(readFileSync(join(dirname(dirname(script)), 'package.json'), 'utf8'));
    return Number(pkg.installVersion) || 0;
  });
  return Math.max(11, ...versions);
}

/** Seeds the cache; returns a one-line note of what it did. */
function seedNodeGypCache(env = process.env) {
  if (process.platform === 'win32') return 'Windows: node-gyp fetches its own headers and node.lib';
  const nodedir = matchingNodedir();
  if (!nodedir) return `no headers of Node ${process.versions.node} beside it; node-gyp will download them`;
  const versionDir = join(nodeGypDevDir(env), process.versions.node);
  const includeDir = join(versionDir, 'include', 'node');
  const stamp = join(versionDir, 'installVersion');
  const needed = requiredInstallVersion(env);
  const stamped = existsSync(stamp) ? Number.parseInt(readFileSync(stamp, 'ascii'), 10) || 0 : 0;
  if (existsSync(join(includeDir, 'common.gypi')) && stamped >= needed)
    return `${versionDir} already holds the headers`;
  mkdirSync(dirname(includeDir), { recursive: true });
  if (isLink(includeDir) && !existsSync(includeDir)) rmSync(includeDir); // a link to a Node since removed
  if (!existsSync(includeDir)) symlinkSync(join(nodedir, 'include', 'node'), includeDir, 'dir');
  if (!existsSync(join(includeDir, 'common.gypi'))) return `${includeDir} is incomplete; node-gyp will download`;
  writeFileSync(stamp, `${needed}\n`);
  return `${includeDir} -> ${join(nodedir, 'include', 'node')}`;
}

function isLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

try {
  process.stdout.write(`[node-gyp headers] ${seedNodeGypCache()}\n`);
} catch (error) {
  process.stdout.write(`[node-gyp headers] not seeded (${error instanceof Error ? error.message : error})\n`);
}
