import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Resolves a path under LOOKRIGHT_DATA_DIR or LOOKRIGHT_FIXTURES_DIR for a test. When the variable is unset or the
 * path is missing, the test is skipped with a one-line reason, except under CI=true, where it fails.
 */
function resolveShared(
  variable: 'LOOKRIGHT_DATA_DIR' | 'LOOKRIGHT_FIXTURES_DIR',
  ctx: Mocha.Context,
  parts: string[],
): string {
  const root = process.env[variable];
  const reason = root ? `${join(root, ...parts)} is missing` : `${variable} is not set`;
  if (root && existsSync(join(root, ...parts))) return join(root, ...parts);
  if (process.env.CI === 'true') throw new Error(`required test data: ${reason}`);
  console.log(`      skipped: ${reason}`);
  ctx.skip();
}

/** A path under the shared data folder (../shared/data in CI). */
export function dataPath(ctx: Mocha.Context, ...parts: string[]): string {
  return resolveShared('LOOKRIGHT_DATA_DIR', ctx, parts);
}

/** A path under the shared fixtures folder (../shared/fixtures in CI). */
export function fixturePath(ctx: Mocha.Context, ...parts: string[]): string {
  return resolveShared('LOOKRIGHT_FIXTURES_DIR', ctx, parts);
}
