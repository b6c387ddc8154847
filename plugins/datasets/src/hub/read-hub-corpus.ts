import { join } from 'node:path';
import type { SplitName, TaggedCorpus, TaggedSentence } from '@lookright/core';
import type { SplitContent } from '../corpus/build-corpus.js';
import { datasetErrors } from '../errors.js';
import { checkTag, type SourceScheme } from '../tags/tag-check.js';
import { namesFromDatasetInfos, namesFromParquetMetadata, namesFromReadme } from './class-labels.js';
import { parquetFilesBySplit } from './parquet-files.js';
import { type HubColumns, type ParquetSplitFile, readParquetSplitFile } from './read-parquet-split.js';

export interface HubReadOptions {
  snapshotDir: string;
  /** `org/name`, for messages. */
  repo: string;
  config?: string;
  /** Explicit parquet paths per split, relative to the snapshot; replaces discovery. */
  files?: Partial<Record<SplitName, readonly string[]>>;
  columns: HubColumns;
  /** ClassLabel names by id; when absent they come from the dataset's metadata. */
  labelNames?: readonly string[];
  scheme: SourceScheme;
  /** Leave out rows that are a lone `-DOCSTART-` token (document markers some conversions kept). */
  docstart: boolean;
}

export interface HubContent {
  splits: Partial<Record<SplitName, SplitContent>>;
  files: TaggedCorpus['files'];
  warnings: string[];
  /** Where the label names came from (`param labelNames`, `dataset_infos.json`, ...), or `strings`. */
  labelSource: string;
}

function resolveNames(
  opts: HubReadOptions,
  first: ParquetSplitFile,
): { names?: string[]; source: string; tried: string[] } {
  if (opts.labelNames) return { names: [...opts.labelNames], source: 'param labelNames', tried: [] };
  const tried = ['dataset_infos.json', 'README.md dataset_info.features', `${first.path} huggingface metadata`];
  const found = [
    { names: namesFromDatasetInfos(opts.snapshotDir, opts.columns.tags, opts.config), source: tried[0] },
    { names: namesFromReadme(opts.snapshotDir, opts.columns.tags, opts.config), source: tried[1] },
    { names: namesFromParquetMetadata(first.path, first.huggingfaceMetadata, opts.columns.tags), source: tried[2] },
  ].find((n) => n.names !== undefined) ?? { names: undefined, source: 'none' };
  return { ...found, tried };
}

/**
 * Reads a hub dataset snapshot's parquet files into splits of tagged sentences. Integer labels are named through
 * ClassLabel names (param, dataset_infos.json, README yaml, then the parquet file's own `huggingface` metadata);
 * string labels are used as they are. Every tag is checked against `scheme`. Rows with no token are reported, not
 * kept.
 */
export async function readHubCorpus(opts: HubReadOptions): Promise<HubContent> {
  const bySplit = parquetFilesBySplit(opts.snapshotDir, opts.config, opts.files);
  const content: HubContent = { splits: {}, files: [], warnings: [], labelSource: 'strings' };
  let names: string[] | undefined;
  for (const [split, relPaths] of Object.entries(bySplit) as [SplitName, string[]][]) {
    const sentences: TaggedSentence[] = [];
    for (const rel of relPaths) {
      const file = await readParquetSplitFile(join(opts.snapshotDir, rel), opts.columns);
      content.files.push({ path: file.path, sha256: file.sha256 });
      const nameOf = (label: number | string, row: number): string => {
        if (typeof label === 'string') return label;
        if (!names) {
          const resolved = resolveNames(opts, file);
          if (!resolved.names) throw datasetErrors.hubNoLabelNames(opts.repo, opts.columns.tags, resolved.tried);
          names = resolved.names;
          content.labelSource = resolved.source;
        }
        const name = names[label];
        if (name === undefined)
          throw datasetErrors.hubBadRow(
            file.path,
            row,
            `a label id below ${names.length} (${content.labelSource})`,
            `${label}`,
          );
        return name;
      };
      for (const r of file.rows) {
        if (opts.docstart && r.words.length === 1 && r.words[0] === '-DOCSTART-') continue;
        if (r.words.length === 0) {
          content.warnings.push(`${file.path} row ${r.row}: row has no token; left out`);
          continue;
        }
        const tags = r.labels.map((label) => nameOf(label, r.row));
        for (const tag of tags) {
          const expected = checkTag(tag, opts.scheme);
          if (expected) throw datasetErrors.hubBadRow(file.path, r.row, expected, `tag ${JSON.stringify(tag)}`);
        }
        sentences.push({ words: r.words, tags, origin: `${file.path} row ${r.row}` });
      }
    }
    content.splits[split] = { source: relPaths.map((r) => join(opts.snapshotDir, r)).join(', '), sentences };
  }
  return content;
}
