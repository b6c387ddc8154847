import type { TaggedSentence } from '@lookright/core';
import { datasetErrors } from '../errors.js';
import type { TextFile } from '../io/text-file.js';
import { checkTag, type SourceScheme } from '../tags/tag-check.js';

/**
 * How columns are separated. `space`: exactly one space between columns, a tab is an error (CoNLL-2000/2003);
 * `tab`: exactly one tab, spaces belong to the field (CoNLL-U style); `whitespace`: any run of spaces and tabs
 * (OntoNotes-style aligned columns).
 */
export type ColumnSeparator = 'space' | 'tab' | 'whitespace';

/** Layout of a one-token-a-line file. Columns are 0-based; a negative index counts from the end (-1 = last). */
export interface ColumnLayout {
  wordColumn: number;
  tagColumn: number;
  /** Exact number of columns on every token line; when absent, the first token line fixes it for the file. */
  columns?: number;
  separator: ColumnSeparator;
  scheme: SourceScheme;
  /** Explicit label set; any other tag is an error. */
  labels?: readonly string[];
  /** Skip `-DOCSTART-` lines (a document boundary, also a sentence boundary). */
  docstart: boolean;
  /** Lines starting with this prefix are comments (e.g. `# `). Off when absent: `#` is a real token in WSJ text. */
  commentPrefix?: string;
}

/** Sentences of one column file plus what was skipped on purpose. */
export interface ColumnFileContent {
  sentences: TaggedSentence[];
  documents: number;
  comments: number;
}

function splitColumns(line: string, separator: ColumnSeparator): string[] {
  if (separator === 'space') return line.split(' ');
  if (separator === 'tab') return line.split('\t');
  return line.trim().split(/[ \t]+/);
}

function resolveColumn(index: number, count: number): number {
  return index < 0 ? count + index : index;
}

function checkLineCharacters(file: string, lineNo: number, line: string, separator: ColumnSeparator): void {
  if (separator === 'space') {
    const tab = line.indexOf('\t');
    if (tab >= 0)
      throw datasetErrors.controlCharacter(file, lineNo, tab + 1, 'a tab', 'columns separated by single spaces');
  }
  if (separator !== 'whitespace' && line !== line.trim()) {
    throw datasetErrors.badLine(file, lineNo, 'no leading or trailing whitespace', line);
  }
}

/**
 * Reads sentences from a one-token-a-line column file: blank lines end sentences; each token line must have the
 * same column count; every tag is checked against the scheme (and label list). Never skips a line silently:
 * the only lines left out are blank lines, `-DOCSTART-` lines (when enabled) and comment lines (when enabled).
 */
export function readColumnFile(file: TextFile, layout: ColumnLayout): ColumnFileContent {
  const labelSet = layout.labels ? new Set(layout.labels) : undefined;
  const sentences: TaggedSentence[] = [];
  let columns = layout.columns;
  let documents = 0;
  let comments = 0;
  let current: TaggedSentence | undefined;
  const close = () => {
    if (current) sentences.push(current);
    current = undefined;
  };
  file.lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (line.trim() === '') {
      if (line !== '' && layout.separator !== 'whitespace')
        throw datasetErrors.badLine(file.path, lineNo, 'an empty line between sentences', line);
      close();
      return;
    }
    if (layout.commentPrefix !== undefined && line.startsWith(layout.commentPrefix)) {
      comments++;
      return;
    }
    checkLineCharacters(file.path, lineNo, line, layout.separator);
    const fields = splitColumns(line, layout.separator);
    if (layout.docstart && fields[0] === '-DOCSTART-') {
      close();
      documents++;
      return;
    }
    if (columns === undefined) columns = fields.length;
    if (fields.length !== columns || fields.some((f) => f === '')) {
      throw datasetErrors.columnCount(file.path, lineNo, `${columns} non-empty`, fields.length, line);
    }
    const wordAt = resolveColumn(layout.wordColumn, columns);
    const tagAt = resolveColumn(layout.tagColumn, columns);
    if (wordAt < 0 || wordAt >= columns || tagAt < 0 || tagAt >= columns) {
      throw datasetErrors.columnCount(
        file.path,
        lineNo,
        `more than max(wordColumn ${layout.wordColumn}, tagColumn ${layout.tagColumn})`,
        fields.length,
        line,
      );
    }
    if (wordAt === tagAt) {
      throw datasetErrors.columnCount(
        file.path,
        lineNo,
        `a word and a separate tag column (wordColumn ${layout.wordColumn}, tagColumn ${layout.tagColumn}), i.e. at least 2`,
        fields.length,
        line,
      );
    }
    const tag = fields[tagAt];
    const expected = checkTag(tag, layout.scheme, labelSet);
    if (expected) throw datasetErrors.unknownTag(file.path, lineNo, tag, expected);
    if (!current) current = { words: [], tags: [], origin: `${file.path}:${lineNo}` };
    current.words.push(fields[wordAt]);
    current.tags.push(tag);
  });
  close();
  return { sentences, documents, comments };
}
