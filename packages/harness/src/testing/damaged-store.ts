import { readFileSync, truncateSync, writeFileSync } from 'node:fs';

/**
 * Damages a closed store's database file the way a failing disk or an interrupted copy does: `page` overwrites
 * the whole page in the middle of the file with 0xff bytes, `truncated` cuts the file to half its length.
 */
export function damageStore(file: string, how: 'page' | 'truncated'): void {
  const bytes = readFileSync(file);
  const pageSize = bytes.readUInt16BE(16) === 1 ? 65536 : bytes.readUInt16BE(16);
  const pages = Math.floor(bytes.length / pageSize);
  if (pages < 4) throw new Error(`damageStore: ${file} has only ${pages} pages; write some results first`);
  if (how === 'truncated') {
    truncateSync(file, Math.floor(pages / 2) * pageSize);
    return;
  }
  bytes.fill(0xff, Math.floor(pages / 2) * pageSize, (Math.floor(pages / 2) + 1) * pageSize);
  writeFileSync(file, bytes);
}
