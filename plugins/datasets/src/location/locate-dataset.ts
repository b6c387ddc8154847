import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  describeFailure,
  findCachedSnapshot,
  type HubRef,
  hubCacheDir,
  hubOffline,
  hubToken,
  type PluginContext,
  redactToken,
} from '@lookright/core';
import { datasetErrors } from '../errors.js';
import { downloadDatasetSnapshot } from './hub-download.js';

/** Where a dataset was found. */
export type DataLocation =
  | { kind: 'folder'; dir: string; via: 'path' | 'LOOKRIGHT_DATA_DIR' }
  | { kind: 'hub'; snapshotDir: string; ref: HubRef };

export interface LocateRequest {
  /** Plugin id, for messages. */
  plugin: string;
  /** What is looked for, e.g. `CoNLL-2003 (eng.train, eng.testa, eng.testb)`. */
  what: string;
  /** The `path` param; relative paths are resolved against the suite's folder. */
  path?: string;
  /** Folder name under LOOKRIGHT_DATA_DIR (the layout of shared/data). */
  dataDirName?: string;
  /** Why a folder does not hold the dataset (e.g. `no eng.train`), or undefined when it does. */
  missingIn: (dir: string) => string | undefined;
  /** The hub repo to look for in the HF cache as a last resort. */
  hub?: HubRef;
}

function folderProblem(dir: string, missingIn: (dir: string) => string | undefined): string | undefined {
  if (!existsSync(dir)) return 'does not exist';
  if (!statSync(dir).isDirectory()) return 'is not a folder';
  return missingIn(dir);
}

/** Where the lookup found the dataset, or every place it tried. */
type Lookup = { location: DataLocation } | { tried: string[] };

function lookUp(req: LocateRequest, ctx: Pick<PluginContext, 'baseDir' | 'env'>): Lookup {
  const tried: string[] = [];
  if (req.path !== undefined) {
    const dir = resolve(ctx.baseDir, req.path);
    const problem = folderProblem(dir, req.missingIn);
    if (!problem) return { location: { kind: 'folder', dir, via: 'path' } };
    throw datasetErrors.notFound(
      req.plugin,
      req.what,
      [`param path: ${dir} (${problem})`],
      'Point the param path at the folder holding the files, or remove it to use LOOKRIGHT_DATA_DIR or the hub.',
    );
  }
  const dataDir = ctx.env.LOOKRIGHT_DATA_DIR;
  if (req.dataDirName === undefined) tried.push('LOOKRIGHT_DATA_DIR: this plugin needs the param name or path');
  else if (!dataDir) tried.push(`LOOKRIGHT_DATA_DIR/${req.dataDirName}: LOOKRIGHT_DATA_DIR is not set`);
  else {
    const dir = join(dataDir, req.dataDirName);
    const problem = folderProblem(dir, req.missingIn);
    if (!problem) return { location: { kind: 'folder', dir, via: 'LOOKRIGHT_DATA_DIR' } };
    tried.push(`LOOKRIGHT_DATA_DIR/${req.dataDirName}: ${dir} (${problem})`);
  }
  if (!req.hub) tried.push('the hub: no hub repo is known for it (set the param hub.repo)');
  else {
    const found = findCachedSnapshot(hubCacheDir(ctx.env), req.hub, 'dataset');
    if (found.snapshot) return { location: { kind: 'hub', snapshotDir: found.snapshot.dir, ref: req.hub } };
    tried.push(found.tried);
  }
  return { tried };
}

function notFound(req: LocateRequest, tried: readonly string[]) {
  const download = req.hub
    ? `, or fetch it into the HF cache with \`huggingface-cli download --repo-type dataset ${req.hub.repo} --revision ${req.hub.revision}\``
    : '';
  return datasetErrors.notFound(
    req.plugin,
    req.what,
    tried,
    `Set the param path to the folder holding the files, or export LOOKRIGHT_DATA_DIR so that ` +
      `$LOOKRIGHT_DATA_DIR/${req.dataDirName ?? '<name>'}/ holds them${download}.`,
  );
}

/**
 * Resolves a dataset's location without the network: 1. the explicit `path` param (used alone when given: a wrong
 * explicit path is an error, never a silent fallback); 2. LOOKRIGHT_DATA_DIR/<dataDirName>/; 3. the hub repo's
 * snapshot in the HF cache. When nothing is found the error lists every place tried, in order, and how to provide
 * the data.
 */
export function locateDataset(req: LocateRequest, ctx: Pick<PluginContext, 'baseDir' | 'env'>): DataLocation {
  const found = lookUp(req, ctx);
  if ('location' in found) return found.location;
  throw notFound(req, found.tried);
}

/**
 * locateDataset, then, when the dataset is in none of those places and has a hub repo, a download of the repo's
 * parquet files into the HF cache (not with HF_HUB_OFFLINE=1). HF_ENDPOINT and HF_TOKEN are honoured; a failed
 * download is one more line of the not-found error, with the token never shown.
 */
export async function locateOrFetchDataset(
  req: LocateRequest,
  ctx: Pick<PluginContext, 'baseDir' | 'env' | 'log'>,
): Promise<DataLocation> {
  const found = lookUp(req, ctx);
  if ('location' in found) return found.location;
  if (!req.hub) throw notFound(req, found.tried);
  const cacheDir = hubCacheDir(ctx.env);
  const where = `download of ${req.hub.repo}@${req.hub.revision} from ${ctx.env.HF_ENDPOINT || 'https://huggingface.co'}`;
  if (hubOffline(ctx.env)) throw notFound(req, [...found.tried, `${where}: not tried, HF_HUB_OFFLINE is set`]);
  const token = hubToken(ctx.env);
  try {
    ctx.log(`${req.plugin}: ${where} into ${cacheDir}`);
    const snapshotDir = await downloadDatasetSnapshot(cacheDir, req.hub, {
      hubUrl: ctx.env.HF_ENDPOINT || undefined,
      token,
    });
    return { kind: 'hub', snapshotDir, ref: req.hub };
  } catch (error) {
    throw notFound(req, [...found.tried, `${where}: ${redactToken(describeFailure(error), token)}`]);
  }
}
