import { LookrightError } from '@lookright/core';

/** `file:line` as every reader error names it. */
export function at(file: string, line: number): string {
  return `${file}:${line}`;
}

function show(text: string, max = 80): string {
  const json = JSON.stringify(text);
  return json.length > max ? `${json.slice(0, max - 4)}..."` : json;
}

/** Coded factories for every error the dataset plugins raise. Each names the file:line (or key) and what to do. */
export const datasetErrors = {
  fileUnreadable: (file: string, reason: string) =>
    new LookrightError('DATASET_FILE_UNREADABLE', `cannot read ${file}: ${reason}`, 'Check the path and permissions.'),
  notUtf8: (file: string, line: number, column: number, byte: number) =>
    new LookrightError(
      'DATASET_NOT_UTF8',
      `${at(file, line)}:${column}: invalid UTF-8 (byte 0x${byte.toString(16).padStart(2, '0')}); expected a UTF-8 text file`,
      `Convert the file to UTF-8, e.g. \`iconv -f latin1 -t utf-8 ${file} > ${file}.utf8\` if it is Latin-1.`,
    ),
  crlf: (file: string, line: number) =>
    new LookrightError(
      'DATASET_CRLF',
      `${at(file, line)}: line ends with CR LF; expected LF line endings`,
      "Convert the file with `dos2unix`, or set the dataset param `lineEndings: 'any'` to accept CR LF.",
    ),
  controlCharacter: (file: string, line: number, column: number, found: string, expected: string) =>
    new LookrightError(
      'DATASET_STRAY_CHARACTER',
      `${at(file, line)}:${column}: found ${found}; expected ${expected}`,
      'Fix that line; a tab or carriage return inside a line usually means a broken export.',
    ),
  columnCount: (file: string, line: number, expected: string, found: number, text: string) =>
    new LookrightError(
      'DATASET_COLUMN_COUNT',
      `${at(file, line)}: expected ${expected} column(s), found ${found} in ${show(text)}`,
      'Fix the line, or set the column layout params (columns, separator, wordColumn, tagColumn) to match the file.',
    ),
  unknownTag: (file: string, line: number, tag: string, expected: string) =>
    new LookrightError(
      'DATASET_UNKNOWN_TAG',
      `${at(file, line)}: unknown tag ${show(tag)}; expected ${expected}`,
      'Fix the tag, or set the dataset params scheme / labels to the tag set the file uses.',
    ),
  badLine: (file: string, line: number, expected: string, text: string) =>
    new LookrightError(
      'DATASET_BAD_LINE',
      `${at(file, line)}: expected ${expected}, found ${show(text)}`,
      'Fix that line of the file.',
    ),
  emptySplit: (file: string, split: string, what?: string) =>
    new LookrightError(
      'DATASET_EMPTY_SPLIT',
      `${file}: the ${split} split holds no sentence${what ? ` (${what})` : ''}; expected at least one`,
      'Check that the file is the right one and not truncated, or leave the split out.',
    ),
  badParam: (plugin: string, key: string, expected: string, found: string) =>
    new LookrightError(
      'DATASET_BAD_PARAM',
      `${plugin}: param ${key} ${found}; expected ${expected}`,
      'Fix that param in the suite.',
    ),
  notFound: (plugin: string, what: string, tried: readonly string[], fix: string) =>
    new LookrightError(
      'DATASET_NOT_FOUND',
      `${plugin}: ${what} was not found. Tried, in order:\n${tried.map((t, i) => `  ${i + 1}. ${t}`).join('\n')}`,
      fix,
    ),
  hubColumnMissing: (file: string, column: string, available: readonly string[]) =>
    new LookrightError(
      'DATASET_HUB_COLUMN',
      `${file}: no column ${show(column)}; the file has ${available.join(', ')}`,
      'Set the dataset param columns.words / columns.tags to one of those columns.',
    ),
  hubBadRow: (file: string, row: number, expected: string, found: string) =>
    new LookrightError(
      'DATASET_HUB_ROW',
      `${file} row ${row}: expected ${expected}, found ${found}`,
      'The parquet file does not match the column mapping; check columns.words / columns.tags.',
    ),
  hubNoLabelNames: (repo: string, column: string, tried: readonly string[]) =>
    new LookrightError(
      'DATASET_HUB_LABEL_NAMES',
      `${repo}: column ${column} holds integer labels, but no ClassLabel names were found (looked in ${tried.join(', ')})`,
      'Give the names with the dataset param labelNames, in the order of their integer ids.',
    ),
  hubBadMetadata: (file: string, reason: string) =>
    new LookrightError(
      'DATASET_HUB_METADATA',
      `${file}: unreadable dataset metadata: ${reason}`,
      'Re-download the file, or give the label names with the dataset param labelNames.',
    ),
  hubNoParquet: (dir: string, reason: string) =>
    new LookrightError(
      'DATASET_HUB_NO_PARQUET',
      `${dir}: ${reason}`,
      'Download the parquet files of the dataset repo (e.g. `huggingface-cli download --repo-type dataset <repo>`), or set the dataset param files.',
    ),
};
