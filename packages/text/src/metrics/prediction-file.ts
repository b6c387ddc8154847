import { readFileSync } from 'node:fs';
import { textErrors } from '../errors.js';
import { isTag } from '../tags/tag.js';

/** One sentence of a prediction file: one gold and one predicted tag per token. */
export interface PredictionSentence {
  words: string[];
  gold: string[];
  pred: string[];
  /** 1-based line number of each token, for error messages. */
  lines: number[];
}

/** A prediction file in conlleval's format, read whole. */
export interface PredictionFile {
  path: string;
  sentences: PredictionSentence[];
}

/**
 * What the tag columns hold: `spans` (O or B-/I-/E-/S-TYPE, checked) or `plain` (any tag, such as POS tags, for
 * token accuracy).
 */
export type PredictionTags = 'spans' | 'plain';

/** conlleval's sentence-boundary word: a line whose first column is `-X-` is a break, not a token. */
const BOUNDARY_WORD = '-X-';

/** Decodes UTF-8 strictly; on failure names the first line holding an invalid byte sequence. */
function decodeUtf8(bytes: Uint8Array, path: string): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i < bytes.length && bytes[i] !== 0x0a) continue;
      try {
        decoder.decode(bytes.subarray(lineStart, i));
      } catch {
        break;
      }
      lineStart = i + 1;
      line++;
    }
    throw textErrors.predictionsLine(
      path,
      line,
      'bytes that are not UTF-8 (Latin-1?)',
      'UTF-8 text; convert it with iconv',
    );
  }
}

/**
 * Parses conlleval-format text. Columns are separated by spaces or tabs; the last two are gold and predicted, the
 * first is the word (a file with two columns has no words). Blank lines and `-X-` lines separate sentences.
 * `-DOCSTART-` lines are ordinary tokens, as conlleval counts them (their O tags end chunks and nothing else).
 * Every problem is a typed error naming `path:line`.
 */
export function parsePredictions(text: string, path: string, tags: PredictionTags = 'spans'): PredictionFile {
  const sentences: PredictionSentence[] = [];
  let current: PredictionSentence = { words: [], gold: [], pred: [], lines: [] };
  let columns = -1;
  const rows = text.split('\n');
  if (rows.length > 1 && rows[rows.length - 1] === '') rows.pop();
  rows.forEach((raw, index) => {
    const line = index + 1;
    if (raw.endsWith('\r')) {
      throw textErrors.predictionsLine(path, line, 'line ends with CR (Windows line endings)', 'LF line endings');
    }
    const trimmed = raw.trim();
    const fields = trimmed === '' ? [] : trimmed.split(/[ \t]+/);
    if (fields.length === 0 || fields[0] === BOUNDARY_WORD) {
      if (current.gold.length) sentences.push(current);
      current = { words: [], gold: [], pred: [], lines: [] };
      return;
    }
    if (fields.length < 2) {
      throw textErrors.predictionsLine(path, line, `${fields.length} column`, 'at least 2 columns: ... GOLD PRED');
    }
    if (columns < 0) columns = fields.length;
    if (fields.length !== columns) {
      throw textErrors.predictionsLine(
        path,
        line,
        `${fields.length} columns`,
        `${columns} columns, as on the first token line`,
      );
    }
    const gold = fields[fields.length - 2];
    const pred = fields[fields.length - 1];
    for (const [tag, side] of [
      [gold, 'gold'],
      [pred, 'predicted'],
    ] as const) {
      if (tags === 'spans' && !isTag(tag)) {
        throw textErrors.predictionsLine(path, line, `${side} tag ${JSON.stringify(tag)}`, 'O or B-/I-/E-/S-TYPE');
      }
    }
    current.words.push(fields.length > 2 ? fields[0] : '');
    current.gold.push(gold);
    current.pred.push(pred);
    current.lines.push(line);
  });
  if (current.gold.length) sentences.push(current);
  if (sentences.length === 0) throw textErrors.predictionsEmpty(path);
  return { path, sentences };
}

/** Reads and parses a prediction file (see parsePredictions). */
export function readPredictionFile(path: string, tags: PredictionTags = 'spans'): PredictionFile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw textErrors.predictionsUnreadable(path, (error as NodeJS.ErrnoException).code ?? String(error));
  }
  return parsePredictions(decodeUtf8(bytes, path), path, tags);
}
