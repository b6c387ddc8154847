// Where this Node's own C/C++ headers and node-gyp are, so native builds need neither a download nor a
// hand-set `npm_config_nodedir`. Node installs its headers under its own prefix: /usr/include/node for Debian's
// node, ~/.nvm/versions/node/<v>/include/node for nvm, /usr/local/include/node for the official tarball.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The prefix the running Node was installed under: the parent of the folder holding its (real) binary. */
export function nodePrefix(execPath = process.execPath) {
  return dirname(dirname(realpathSync(execPath)));
}

/**
 * The prefix to give node-gyp as `nodedir`: `<prefix>` when `<prefix>/include/node` holds the headers of exactly
 * this Node version (node_version.h agrees), otherwise undefined (node-gyp then downloads them as usual).
 */
export function matchingNodedir(execPath = process.execPath, version = process.versions.node) {
  const prefix = nodePrefix(execPath);
  const versionHeader = join(prefix, 'include', 'node', 'node_version.h');
  if (!existsSync(versionHeader)) return undefined;
  const text = readFileSync(versionHeader, 'utf8');
  const part = (name) => new RegExp(`#define NODE_${name}_VERSION (\\d+)`).exec(text)?.[1];
  return `${part('MAJOR')}.${part('MINOR')}.${part('PATCH')}` === version ? prefix : undefined;
}

/** node-gyp scripts that may run the build: the one the package manager names, then those beside this Node. */
export function nodeGypCandidates(env = process.env, execPath = process.execPath) {
  const modules = join(nodePrefix(execPath), 'lib', 'node_modules');
  return [
    env.npm_config_node_gyp,
    join(modules, 'pnpm', 'dist', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(modules, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ].filter((file) => file && existsSync(file));
}
