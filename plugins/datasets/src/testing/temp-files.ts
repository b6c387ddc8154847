import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary folder for one test file; `write` creates nested files, `remove` deletes the folder. */
export function tempDir(label: string) {
  const root = mkdtempSync(join(tmpdir(), `lookright-${label}-`));
  return {
    root,
    write(rel: string, content: string | Uint8Array): string {
      const path = join(root, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
      return path;
    },
    remove(): void {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
