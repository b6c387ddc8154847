import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: Record<string, string> | undefined;

/** Tags every tracked run carries: lookright's version and the git commit of the code that ran. */
export function runTags(): Record<string, string> {
  if (cached) return cached;
  const root = fileURLToPath(new URL('../../../..', import.meta.url));
  const version = (JSON.parse(readFileSync(`${root}packages/harness/package.json`, 'utf8')) as { version: string })
    .version;
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    // not a git checkout
  }
  cached = { 'lookright.version': version, 'mlflow.source.git.commit': commit };
  return cached;
}
