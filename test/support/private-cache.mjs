// Loaded by mocha before any spec (.mocharc "require"): unless LOOKRIGHT_CACHE_DIR is set, the test run (and every
// CLI process it spawns, which inherits the variable) keeps lookright's cache in a temporary folder removed at exit,
// so tests never write into the user's ~/.cache/lookright.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!process.env.LOOKRIGHT_CACHE_DIR) {
  const dir = mkdtempSync(join(tmpdir(), 'lookright-test-cache-'));
  process.env.LOOKRIGHT_CACHE_DIR = dir;
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}
