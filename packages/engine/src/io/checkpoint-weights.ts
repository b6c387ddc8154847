import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { engineErrors } from '../errors.js';
import { readSafetensors, TensorMap } from './safetensors-read.js';

export const SINGLE_WEIGHTS_FILE = 'model.safetensors';
export const WEIGHTS_INDEX_FILE = 'model.safetensors.index.json';

/**
 * Reads config.json of a checkpoint folder as a JSON object (refused with the file named when missing or invalid).
 */
export function readCheckpointConfig(dir: string): Record<string, unknown> {
  const file = join(dir, 'config.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw engineErrors.checkpointConfigInvalid(file, 'file is missing or unreadable');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw engineErrors.checkpointConfigInvalid(file, `not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw engineErrors.checkpointConfigInvalid(file, 'not a JSON object');
  return parsed as Record<string, unknown>;
}

/**
 * The weight files of a checkpoint folder: `model.safetensors`, or the shards named by
 * `model.safetensors.index.json` (validated: a weight_map of names to shard files in the folder).
 */
export function checkpointWeightFiles(dir: string): { files: string[]; weightMap?: Map<string, string> } {
  const indexFile = join(dir, WEIGHTS_INDEX_FILE);
  if (existsSync(indexFile)) {
    const weightMap = readWeightMap(indexFile);
    const files = [...new Set(weightMap.values())].sort();
    for (const shard of files)
      if (!existsSync(join(dir, shard)))
        throw engineErrors.checkpointIndexInvalid(indexFile, `shard ${shard} is missing from ${dir}`);
    return { files: files.map((f) => join(dir, f)), weightMap };
  }
  if (existsSync(join(dir, SINGLE_WEIGHTS_FILE))) return { files: [join(dir, SINGLE_WEIGHTS_FILE)] };
  throw engineErrors.checkpointNoWeights(dir, listFolder(dir));
}

/**
 * Loads every tensor of a checkpoint folder, single-file or sharded. For a sharded checkpoint each tensor must sit
 * in the shard the index names, and no tensor may appear in two shards.
 */
export function readCheckpointWeights(dir: string): TensorMap {
  const { files, weightMap } = checkpointWeightFiles(dir);
  if (!weightMap) return readSafetensors(files[0]);
  const indexFile = join(dir, WEIGHTS_INDEX_FILE);
  const all = new TensorMap();
  for (const file of files) {
    const shard = readSafetensors(file);
    all.metadata ??= shard.metadata;
    for (const [name, tensor] of shard) {
      if (all.has(name)) throw engineErrors.checkpointIndexInvalid(indexFile, `tensor ${name} appears in two shards`);
      if (weightMap.has(name) && join(dir, weightMap.get(name) as string) !== file)
        throw engineErrors.checkpointIndexInvalid(
          indexFile,
          `tensor ${name} is in ${file}, the index says ${weightMap.get(name)}`,
        );
      all.set(name, tensor);
    }
  }
  for (const [name, shard] of weightMap)
    if (!all.has(name)) throw engineErrors.checkpointIndexInvalid(indexFile, `tensor ${name} is not in shard ${shard}`);
  return all;
}

function readWeightMap(indexFile: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(indexFile, 'utf8'));
  } catch (error) {
    throw engineErrors.checkpointIndexInvalid(indexFile, `not valid JSON (${(error as Error).message})`);
  }
  const weightMap = (parsed as { weight_map?: unknown } | null)?.weight_map;
  if (typeof weightMap !== 'object' || weightMap === null || Array.isArray(weightMap))
    throw engineErrors.checkpointIndexInvalid(indexFile, 'has no weight_map object');
  const out = new Map<string, string>();
  for (const [name, shard] of Object.entries(weightMap)) {
    if (typeof shard !== 'string' || shard.includes('/') || shard.includes('\\') || shard.startsWith('.'))
      throw engineErrors.checkpointIndexInvalid(
        indexFile,
        `weight_map entry ${name} must name a shard file in the same folder`,
      );
    out.set(name, shard);
  }
  return out;
}

function listFolder(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** Files a checkpoint folder lacks to be loadable (config.json and the weights); empty when complete. */
export function missingCheckpointFiles(dir: string): string[] {
  const missing = existsSync(join(dir, 'config.json')) ? [] : ['config.json'];
  const indexFile = join(dir, WEIGHTS_INDEX_FILE);
  if (existsSync(indexFile)) {
    try {
      for (const shard of new Set(readWeightMap(indexFile).values()))
        if (!existsSync(join(dir, shard))) missing.push(shard);
    } catch {
      missing.push(WEIGHTS_INDEX_FILE);
    }
  } else if (!existsSync(join(dir, SINGLE_WEIGHTS_FILE))) missing.push(SINGLE_WEIGHTS_FILE);
  return missing;
}
