import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cliErrors } from '../errors.js';
import { packageFiles } from './package-files.js';
import { defaultStrategyId, strategyNames } from './strategy-names.js';
import { strategySources } from './strategy-source.js';

/** What {@link writeMaskStrategyPackage} wrote. */
export interface WrittenPackage {
  dir: string;
  id: string;
  files: string[];
}

/**
 * Writes a working mask-strategy package into `dir` (created if missing; refused if it holds anything), with the
 * plugin id `id` (default: `mask:` plus the folder's name). Nothing is written when the id or the folder is wrong.
 */
export function writeMaskStrategyPackage(dir: string, lookrightRoot: string, id?: string): WrittenPackage {
  const target = resolve(dir);
  const names = strategyNames(id ?? defaultStrategyId(target));
  if (existsSync(target) && readdirSync(target).length > 0) throw cliErrors.targetNotEmpty(target);
  const files = { ...packageFiles(names, lookrightRoot), ...strategySources(names) };
  for (const [relative, text] of Object.entries(files)) {
    const file = join(target, relative);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return { dir: target, id: names.id, files: Object.keys(files) };
}
