import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SplitName } from '@lookright/core';
import { datasetErrors } from '../errors.js';

/** Split names as the hub spells them. */
const splitAliases: Record<SplitName, readonly string[]> = {
  train: ['train'],
  dev: ['validation', 'valid', 'dev'],
  test: ['test'],
};

/** Every `.parquet` file under `dir` (following the cache's symlinks), as sorted `/`-separated relative paths. */
export function listParquetFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(dir, prefix)).sort()) {
    if (name.startsWith('.')) continue;
    const rel = prefix ? `${prefix}/${name}` : name;
    const stat = statSync(join(dir, rel));
    if (stat.isDirectory()) out.push(...listParquetFiles(dir, rel));
    else if (name.endsWith('.parquet')) out.push(rel);
  }
  return out;
}

function aliasSplit(name: string): SplitName | undefined {
  for (const [split, aliases] of Object.entries(splitAliases) as [SplitName, readonly string[]][]) {
    if (aliases.some((a) => name === a || name.startsWith(`${a}-`) || name.startsWith(`${a}_`))) return split;
  }
  return undefined;
}

/**
 * The split a hub parquet path belongs to: by its file name (`data/train-00000-of-00001.parquet`, `test.parquet`),
 * else by the nearest folder named like a split (`<config>/validation/0000.parquet`).
 */
export function splitOfPath(relPath: string): SplitName | undefined {
  const segments = relPath.split('/');
  const base = (segments.pop() ?? '').replace(/\.parquet$/, '');
  const byName = aliasSplit(base);
  if (byName) return byName;
  for (const segment of segments.reverse()) {
    if (Object.values(splitAliases).some((aliases) => aliases.includes(segment))) return aliasSplit(segment);
  }
  return undefined;
}

/**
 * Groups a snapshot's parquet files by split. `config` keeps only files under `<config>/`; without it, files of
 * several top-level config folders in one split are an error (which config is meant is not guessed). `explicit`
 * replaces discovery with given relative paths.
 */
export function parquetFilesBySplit(
  snapshotDir: string,
  config: string | undefined,
  explicit?: Partial<Record<SplitName, readonly string[]>>,
): Partial<Record<SplitName, string[]>> {
  if (explicit) {
    const out: Partial<Record<SplitName, string[]>> = {};
    for (const [split, files] of Object.entries(explicit) as [SplitName, readonly string[]][]) {
      for (const f of files) {
        if (!existsSync(join(snapshotDir, f)))
          throw datasetErrors.hubNoParquet(snapshotDir, `param files.${split} names ${f}, which does not exist`);
      }
      out[split] = [...files];
    }
    return out;
  }
  let files = listParquetFiles(snapshotDir);
  if (config !== undefined) files = files.filter((f) => f.startsWith(`${config}/`));
  const out: Partial<Record<SplitName, string[]>> = {};
  for (const f of files) {
    const split = splitOfPath(f);
    if (split) out[split] = [...(out[split] ?? []), f];
  }
  if (Object.keys(out).length === 0) {
    const why =
      config === undefined ? 'no train/validation/test parquet file' : `no split parquet file under ${config}/`;
    throw datasetErrors.hubNoParquet(snapshotDir, why);
  }
  if (config === undefined) {
    for (const [split, list] of Object.entries(out)) {
      const tops = [...new Set(list.map((f) => (f.includes('/') ? f.slice(0, f.indexOf('/')) : '')))];
      if (tops.length > 1 && list.every((f) => f.split('/').length >= 3)) {
        throw datasetErrors.hubNoParquet(
          snapshotDir,
          `the ${split} split has files in several configs (${tops.join(', ')}); set the param config`,
        );
      }
    }
  }
  return out;
}
