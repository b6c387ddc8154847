import type Database from 'better-sqlite3';
import { harnessErrors } from '../errors.js';

/** Whether an error from SQLite says the file is damaged or not a database at all. */
export function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/**
 * Checks a store's structure with `PRAGMA quick_check` (every page and b-tree, not the index contents; about as
 * fast as reading the file once) and throws STORE_CORRUPT naming the file and the first problems found.
 */
export function assertIntact(db: Database.Database, file: string): void {
  const rows = db.pragma('quick_check(3)') as { quick_check: string }[];
  const problems = rows.map((row) => row.quick_check).filter((line) => line !== 'ok');
  if (problems.length === 0) return;
  const detail = problems
    .join('; ')
    .replace(/\*\*\* in database main \*\*\*\s*/g, '')
    .replace(/\s*\n\s*/g, '; ');
  throw harnessErrors.storeCorrupt(file, `quick_check: ${detail.slice(0, 300)}`);
}
