import { readFileSync } from 'node:fs';

/**
 * Reads the numbers the tests compare against straight from a shared/data PROVENANCE.md, so no count is pasted
 * into the repository. Tables are Markdown pipe tables; numbers may have thousands separators.
 */
export function readProvenance(file: string): string {
  return readFileSync(file, 'utf8');
}

/** `14,041` -> 14041. */
export function num(text: string): number {
  const n = Number(text.replace(/,/g, '').trim());
  if (!Number.isFinite(n)) throw new Error(`not a number in PROVENANCE: ${JSON.stringify(text)}`);
  return n;
}

/** Rows of the first pipe table whose header row holds `firstHeader` as its first cell, keyed by header. */
export function tableRows(markdown: string, firstHeader: string): Record<string, string>[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith('|') && cells(l)[0] === firstHeader);
  if (start < 0) throw new Error(`PROVENANCE has no table headed ${firstHeader}`);
  const headers = cells(lines[start]);
  const rows: Record<string, string>[] = [];
  for (let i = start + 2; i < lines.length && lines[i].startsWith('|'); i++) {
    const values = cells(lines[i]);
    rows.push(Object.fromEntries(headers.map((h, k) => [h, values[k] ?? ''])));
  }
  return rows;
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

/** The row of `rows` whose first-column value equals `key`. */
export function rowOf(rows: Record<string, string>[], column: string, key: string): Record<string, string> {
  const row = rows.find((r) => r[column] === key);
  if (!row) throw new Error(`PROVENANCE table has no row ${key}`);
  return row;
}

/**
 * The text after `prefix` on the first line that starts with it (after indentation), joined with the following
 * lines up to a blank line, a bullet, a table or a heading.
 */
export function paragraphAt(markdown: string, prefix: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.trimStart().startsWith(prefix));
  if (start < 0) throw new Error(`PROVENANCE has no line starting ${JSON.stringify(prefix)}`);
  const parts = [lines[start].trimStart().slice(prefix.length)];
  for (let i = start + 1; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t === '' || /^[-|#]/.test(t)) break;
    parts.push(t);
  }
  return parts.join(' ');
}

/** Every `NAME 1,234` pair in a text (`O 169,578, I-PER 11,128` or `NOUN 34,751 · PUNCT 23,596`). */
export function pairCounts(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of text.matchAll(/(\S+)\s+([0-9][0-9,]*)/g)) counts[m[1]] = num(m[2]);
  return counts;
}

/** The pairs of the `;`-separated segment that starts with `split` (e.g. `train PER 6,600 / LOC 7,140; dev ...`). */
export function splitCounts(paragraph: string, split: string): Record<string, number> {
  for (const segment of paragraph.split(/;|\.\s/)) {
    const words = segment.trim().split(/\s+/);
    if (words[0]?.replace(/:$/, '') === split) return pairCounts(words.slice(1).join(' '));
  }
  throw new Error(`PROVENANCE paragraph has no ${split} segment: ${paragraph.slice(0, 80)}`);
}
