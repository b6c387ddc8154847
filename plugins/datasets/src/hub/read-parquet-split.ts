import { readFileSync } from 'node:fs';
import { type FileMetaData, parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { datasetErrors } from '../errors.js';
import { sha256Of } from '../io/text-file.js';

/** Which parquet columns hold the words and the tags. */
export interface HubColumns {
  words: string;
  tags: string;
}

/** One parquet file read into sentences; tags are still raw (ids or strings) until labelled. */
export interface ParquetSplitFile {
  path: string;
  sha256: string;
  /** The `huggingface` key-value metadata (datasets' features JSON), when the file has it. */
  huggingfaceMetadata?: string;
  rows: { words: string[]; labels: (number | string)[]; row: number }[];
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `a list of ${value.length} (${value.slice(0, 3).map(describe).join(', ')}...)`;
  return `${typeof value} ${String(value).slice(0, 40)}`;
}

function toLabel(file: string, row: number, column: string, value: unknown): number | string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'bigint') {
    if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER))
      throw datasetErrors.hubBadRow(
        file,
        row,
        `a label id in 0..${Number.MAX_SAFE_INTEGER} in column ${column}`,
        `${value}`,
      );
    return Number(value);
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw datasetErrors.hubBadRow(file, row, `a label id (int) or a tag (string) in column ${column}`, describe(value));
}

function readMetadata(path: string, buffer: ArrayBuffer): FileMetaData {
  try {
    return parquetMetadata(buffer);
  } catch (cause) {
    throw datasetErrors.hubBadMetadata(path, `not a readable parquet file (${(cause as Error).message})`);
  }
}

/**
 * Reads the word and tag columns of one parquet file. Rows are numbered from 0, as `datasets` numbers them.
 * int64 label ids (BigInt in hyparquet) become numbers; out-of-range ids, nulls, ragged rows and empty words are
 * errors naming the file and row.
 */
export async function readParquetSplitFile(path: string, columns: HubColumns): Promise<ParquetSplitFile> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw datasetErrors.fileUnreadable(path, (cause as NodeJS.ErrnoException).code ?? String(cause));
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = readMetadata(path, buffer);
  const available = parquetSchema(metadata).children.map((c) => c.element.name);
  for (const column of [columns.words, columns.tags]) {
    if (!available.includes(column)) throw datasetErrors.hubColumnMissing(path, column, available);
  }
  let objects: Record<string, unknown>[];
  try {
    objects = await parquetReadObjects({ file: buffer, metadata, columns: [columns.words, columns.tags], compressors });
  } catch (cause) {
    throw datasetErrors.hubBadMetadata(path, `cannot decode the columns (${(cause as Error).message})`);
  }
  const rows = objects.map((object, row) => {
    const words = object[columns.words];
    const labels = object[columns.tags];
    if (!Array.isArray(words) || words.some((w) => typeof w !== 'string' || w === ''))
      throw datasetErrors.hubBadRow(
        path,
        row,
        `a list of non-empty strings in column ${columns.words}`,
        describe(words),
      );
    if (!Array.isArray(labels) || labels.length !== words.length)
      throw datasetErrors.hubBadRow(
        path,
        row,
        `a list of ${words.length} labels in column ${columns.tags}`,
        describe(labels),
      );
    return { words: words as string[], labels: labels.map((l) => toLabel(path, row, columns.tags, l)), row };
  });
  const huggingfaceMetadata = metadata.key_value_metadata?.find((kv) => kv.key === 'huggingface')?.value;
  return { path, sha256: sha256Of(bytes), huggingfaceMetadata, rows };
}
