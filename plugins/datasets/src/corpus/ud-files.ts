import { readdirSync } from 'node:fs';
import type { SplitName } from '@lookright/core';

const udSplits: readonly SplitName[] = ['train', 'dev', 'test'];

/**
 * A UD treebank folder's split files, named `<lang>_<treebank>-ud-<split>.conllu` as every UD release names them.
 * Two files for one split make the folder ambiguous, reported as missing with the reason.
 */
export function udSplitFiles(dir: string): { files: Partial<Record<SplitName, string>>; problem?: string } {
  const names = readdirSync(dir).filter((n) => n.endsWith('.conllu'));
  const files: Partial<Record<SplitName, string>> = {};
  for (const split of udSplits) {
    const matching = names.filter((n) => n.endsWith(`-ud-${split}.conllu`));
    if (matching.length > 1) return { files, problem: `several ${split} files: ${matching.join(', ')}` };
    if (matching.length === 1) files[split] = matching[0];
  }
  if (Object.keys(files).length === 0) return { files, problem: 'no *-ud-{train,dev,test}.conllu file' };
  return { files };
}
