import { readFileSync } from 'node:fs';
import { datasetErrors } from '../errors.js';
import { sha256Of } from '../io/text-file.js';
import { decodeParquetColumns } from './decode-parquet.js';

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

/** A parquet file starts and ends with `PAR1` and holds at least a footer length between. */
function hasParquetMagic(bytes: Uint8Array): boolean {
  const magic = [0x50, 0x41, 0x52, 0x31];
  return bytes.length >= 12 && magic.every((b, i) => bytes[i] === b && bytes[bytes.length - 4 + i] === b);
}

/**
 * Reads the word and tag columns of one parquet file. Rows are numbered from 0, as `datasets` numbers them.
 * int64 label ids (BigInt in hyparquet) become numbers; out-of-range ids, nulls, ragged rows and empty words are
 * errors naming the file and row.
 */
export async function readParquetSplitFile(
  path: string,
  columns: HubColumns,
  timeoutMs?: number,
): Promise<ParquetSplitFile> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw datasetErrors.fileUnreadable(path, (cause as NodeJS.ErrnoException).code ?? String(cause));
  }
  if (!hasParquetMagic(bytes))
    throw datasetErrors.hubBadMetadata(path, 'not a parquet file (no PAR1 magic at both ends)');
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const decoded = await decodeParquetColumns(buffer, [columns.words, columns.tags], timeoutMs);
  if (decoded.kind === 'missing') throw datasetErrors.hubColumnMissing(path, decoded.column, decoded.available);
  if (decoded.kind === 'failed') throw datasetErrors.hubBadMetadata(path, decoded.reason);
  const [wordColumn, tagColumn] = decoded.columns;
  const rows = wordColumn.map((words, row) => {
    const labels = tagColumn[row];
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
  return { path, sha256: sha256Of(bytes), huggingfaceMetadata: decoded.huggingface, rows };
}
