import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { datasetErrors } from '../errors.js';

/** Where ClassLabel names were found, for logs and errors. */
export interface ClassLabelNames {
  names: string[];
  source: string;
}

/** Parses metadata text; a syntax error becomes a typed error naming the file. */
function parseMetadata(file: string, text: string, parse: (text: string) => unknown): unknown {
  try {
    return parse(text);
  } catch (cause) {
    throw datasetErrors.hubBadMetadata(file, (cause as Error).message);
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Names of a ClassLabel (or a sequence / list of one) in the `datasets` features JSON, as stored in
 * dataset_infos.json and in the `huggingface` key of a parquet file's metadata.
 */
export function namesFromFeatureJson(feature: unknown): string[] | undefined {
  if (!isObject(feature)) return undefined;
  if (feature._type === 'ClassLabel' && Array.isArray(feature.names)) return feature.names.map(String);
  if (feature.feature !== undefined) return namesFromFeatureJson(feature.feature);
  return undefined;
}

/** `{'0': 'O', '1': 'B-PER'}` (README yaml) or a plain list, to a list ordered by id; undefined if ids have gaps. */
function namesFromYamlMap(names: unknown): string[] | undefined {
  if (Array.isArray(names)) return names.map(String);
  if (!isObject(names)) return undefined;
  const out: string[] = [];
  for (const [key, value] of Object.entries(names)) out[Number(key)] = String(value);
  return out.length === Object.keys(names).length && out.every((n) => n !== undefined) ? out : undefined;
}

/** Names of a feature in the README yaml shape: `{name, sequence|list: {class_label: {names}}}` or `{class_label}`. */
function namesFromYamlFeature(feature: Record<string, Json>): string[] | undefined {
  for (const key of ['class_label', 'sequence', 'list'] as const) {
    const inner = feature[key];
    if (!isObject(inner)) continue;
    if (key === 'class_label') return namesFromYamlMap(inner.names);
    if (isObject(inner.class_label)) return namesFromYamlMap(inner.class_label.names);
  }
  return undefined;
}

function pickConfig<T>(entries: [string, T][], config: string | undefined): T | undefined {
  if (config !== undefined) return entries.find(([name]) => name === config)?.[1];
  if (entries.length === 1) return entries[0][1];
  return entries.find(([name]) => name === 'default')?.[1];
}

/** ClassLabel names of `column` from dataset_infos.json in a snapshot, if there. */
export function namesFromDatasetInfos(snapshotDir: string, column: string, config?: string): string[] | undefined {
  const file = join(snapshotDir, 'dataset_infos.json');
  if (!existsSync(file)) return undefined;
  const infos = parseMetadata(file, readFileSync(file, 'utf8'), JSON.parse);
  if (!isObject(infos)) return undefined;
  const info = pickConfig(Object.entries(infos), config);
  return isObject(info) && isObject(info.features) ? namesFromFeatureJson(info.features[column]) : undefined;
}

/** ClassLabel names of `column` from the README's yaml front matter (`dataset_info.features`), if there. */
export function namesFromReadme(snapshotDir: string, column: string, config?: string): string[] | undefined {
  const file = join(snapshotDir, 'README.md');
  if (!existsSync(file)) return undefined;
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readFileSync(file, 'utf8'));
  if (!match) return undefined;
  const front = parseMetadata(file, match[1], (t) => parseYaml(t));
  if (!isObject(front)) return undefined;
  const raw = front.dataset_info;
  const infos = Array.isArray(raw) ? raw.filter(isObject) : isObject(raw) ? [raw] : [];
  const info = pickConfig(
    infos.map(
      (i) => [typeof i.config_name === 'string' ? i.config_name : 'default', i] as [string, Record<string, Json>],
    ),
    config,
  );
  const features = info && Array.isArray(info.features) ? info.features.filter(isObject) : [];
  const feature = features.find((f) => f.name === column);
  return feature ? namesFromYamlFeature(feature) : undefined;
}

/** ClassLabel names of `column` from a parquet file's `huggingface` key-value metadata, if there. */
export function namesFromParquetMetadata(
  file: string,
  huggingfaceJson: string | undefined,
  column: string,
): string[] | undefined {
  if (!huggingfaceJson) return undefined;
  const meta = parseMetadata(file, huggingfaceJson, JSON.parse);
  if (!isObject(meta) || !isObject(meta.info) || !isObject(meta.info.features)) return undefined;
  return namesFromFeatureJson(meta.info.features[column]);
}
