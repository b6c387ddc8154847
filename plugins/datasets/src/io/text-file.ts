import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { datasetErrors } from '../errors.js';
import { firstInvalidUtf8, lineAndColumnOf } from './utf8.js';

/**
 * How CR LF line endings are treated. `lf` (the default everywhere) refuses them with an error naming the first such
 * line, because every published CoNLL file uses LF and a CR LF file is usually a re-export worth looking at;
 * `any` strips one trailing CR from each line. A CR anywhere else in a line is always an error.
 */
export type LineEndings = 'lf' | 'any';

/** A UTF-8 text file split into lines, with the sha256 of its bytes. */
export interface TextFile {
  path: string;
  sha256: string;
  /** Lines without their terminator; `lines[i]` is line i + 1. A final empty line after the last LF is dropped. */
  lines: string[];
}

/** A digest of a file as it is recorded in a corpus. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw datasetErrors.fileUnreadable(path, (cause as NodeJS.ErrnoException).code ?? String(cause));
  }
}

/** Strict UTF-8 decode; an invalid byte is reported with its line and column. A leading BOM is dropped. */
export function decodeUtf8(path: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = Math.max(0, firstInvalidUtf8(bytes));
    const { line, column } = lineAndColumnOf(bytes, offset);
    throw datasetErrors.notUtf8(path, line, column, bytes[offset] ?? 0);
  }
}

// Control characters other than tab; tab is legal in some formats and each reader decides about it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const controlCharacter = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** Splits decoded text into lines, applying the line-ending policy and refusing control characters. */
export function splitLines(path: string, text: string, lineEndings: LineEndings): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    if (line.endsWith('\r')) {
      if (lineEndings === 'lf') throw datasetErrors.crlf(path, i + 1);
      line = line.slice(0, -1);
      lines[i] = line;
    }
    const bad = controlCharacter.exec(line);
    if (bad) {
      const code = `U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      const name = bad[0] === '\r' ? `a carriage return (${code}) inside the line` : `control character ${code}`;
      throw datasetErrors.controlCharacter(path, i + 1, bad.index + 1, name, 'printable text');
    }
  }
  return lines;
}

/** Reads, hashes, decodes and splits a text file. Every problem is a LookrightError naming file:line. */
export function readTextFile(path: string, lineEndings: LineEndings = 'lf'): TextFile {
  const bytes = readBytes(path);
  const text = decodeUtf8(path, bytes);
  return { path, sha256: sha256Of(bytes), lines: splitLines(path, text, lineEndings) };
}
