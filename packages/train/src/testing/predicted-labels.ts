import { readFileSync } from 'node:fs';

/** The predicted labels (last column) of a conlleval prediction file, in file order. */
export function predictedLabels(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split(' ').at(-1)!);
}
