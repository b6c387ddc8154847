import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentHash, type PluginRegistry, resolvePluginDir } from '@lookright/core';
import type { CellConfig, RunnerIdentity } from '../../expand/cell-types.js';

const lookrightVersion = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The BullMQ key prefix of every lookright queue. */
export const queuePrefix = 'lookright';

/**
 * What computing a cell exactly as its hash says takes, or what a worker offers: the runner (id, version), its
 * numerics (what backend `auto` resolves to, native kernels on/off), the lookright version, and plugin package
 * versions by package name. A cell's need names the packages its hash names; a worker's offer names every package
 * it has installed. Cells with equal needs meet in one BullMQ queue, and a worker consumes each queue whose need
 * its offer satisfies (see `satisfies`), so it never runs a cell it would compute differently.
 */
export interface Capability {
  runner: { id: string; version: string };
  numerics: Record<string, string>;
  lookright: string;
  plugins: Record<string, string>;
}

/** A worker's offer: its runner and numerics, this lookright, and the package of every plugin in its registry. */
export function offerOf(runner: RunnerIdentity, registry: PluginRegistry): Capability {
  const plugins = Object.fromEntries(registry.all().map((p) => [p.origin.packageName, p.origin.packageVersion]));
  return {
    runner: { id: runner.id, version: runner.version },
    numerics: runner.numerics ?? {},
    lookright: lookrightVersion,
    plugins,
  };
}

/**
 * The names of the packages a suite's own `plugins:` list loads. A worker loads those from the suite's folder, as
 * the submitting machine did (docs/distributed.md), so they are not part of what a worker must have installed.
 */
export function suitePackageNames(suite: CellConfig['suite']): Set<string> {
  return new Set(
    suite.plugins.map((spec) => {
      const dir = resolvePluginDir(spec, suite.baseDir);
      return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name ?? dir;
    }),
  );
}

/**
 * What a cell needs: exactly the facts its hash covers about code (see cellIdentity): the runner with its numerics,
 * the lookright version, and the package version of its backbone, mask, dataset, head and (when it has one) input
 * transform, less the packages of the suite's own plugin list (`suitePackages`).
 */
export function needOf(config: CellConfig, suitePackages: ReadonlySet<string> = new Set()): Capability {
  const { backbone, mask, dataset, head, input } = config;
  const plugins: Record<string, string> = {};
  for (const p of [backbone, mask, dataset, head, ...(input ? [input] : [])])
    if (!suitePackages.has(p.plugin.package)) plugins[p.plugin.package] = p.plugin.version;
  return {
    runner: { id: config.runner.id, version: config.runner.version },
    numerics: config.runner.numerics ?? {},
    lookright: lookrightVersion,
    plugins: Object.fromEntries(Object.entries(plugins).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** Whether a worker with `offer` computes every cell of `need` as its hash says. */
export function satisfies(offer: Capability, need: Capability): boolean {
  return (
    offer.runner.id === need.runner.id &&
    offer.runner.version === need.runner.version &&
    offer.lookright === need.lookright &&
    contentHash(offer.numerics) === contentHash(need.numerics) &&
    Object.entries(need.plugins).every(([name, version]) => offer.plugins[name] === version)
  );
}

/** The queue of a need: `cells-<first 16 hex of its content hash>`. */
export function queueNameOf(need: Capability): string {
  return `cells-${contentHash(need).slice(0, 16)}`;
}

/**
 * One line naming a need, e.g. `runner:train@0.1.0, backend.auto=wasm, native=on, lookright 0.1.0,
 * @lookright/plugin-masks 0.3.0`.
 */
export function describeCapability(need: Capability): string {
  const numerics = Object.entries(need.numerics).map(([k, v]) => `${k}=${v}`);
  const plugins = Object.entries(need.plugins).map(([name, version]) => `${name} ${version}`);
  return [`${need.runner.id}@${need.runner.version}`, ...numerics, `lookright ${need.lookright}`, ...plugins].join(
    ', ',
  );
}

/**
 * Why none of `offers` (the connected workers) satisfies `need`, one clause per fact no worker has, e.g.
 * `needs @lookright/plugin-masks 0.3.0; connected workers have 0.2.0`.
 */
export function whyUnserved(need: Capability, offers: readonly Capability[]): string {
  if (offers.length === 0) return 'no worker is connected';
  /** A clause when no offer has `value`: `needs <prefix><value>; connected workers have <theirs>`. */
  const clause = (prefix: string, value: string, have: (o: Capability) => string | undefined) => {
    const found = [...new Set(offers.map((o) => have(o) ?? 'none'))].sort();
    return found.includes(value) ? [] : [`needs ${prefix}${value}; connected workers have ${found.join(', ')}`];
  };
  const clauses = [
    ...clause('', `${need.runner.id}@${need.runner.version}`, (o) => `${o.runner.id}@${o.runner.version}`),
    ...Object.entries(need.numerics).flatMap(([k, v]) => clause(`${k}=`, v, (o) => o.numerics[k])),
    ...clause('lookright ', need.lookright, (o) => o.lookright),
    ...Object.entries(need.plugins).flatMap(([name, version]) => clause(`${name} `, version, (o) => o.plugins[name])),
  ];
  return clauses.length ? clauses.join('. ') : 'no connected worker has all of these at once';
}
