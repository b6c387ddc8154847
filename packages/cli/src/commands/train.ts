import { dirname, resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { readCellFile, runCell } from '@lookright/train';
import { barProgress } from '../progress-bar.js';
import { action } from '../run-command.js';

/** `train <cell.yaml>`: fine-tunes and evaluates one cell; resumes from the output folder's checkpoint. */
export function register(program: Command): void {
  program
    .command('train')
    .description('fine-tune and evaluate one cell (backbone, mask, dataset, head, seed, recipe) from a cell.yaml')
    .argument('<cell>', 'cell YAML file')
    .option('-o, --output <dir>', "run folder (overrides the file's output:)")
    .action(
      action(async (file, opts) => {
        const config = readCellFile(file);
        if (opts.output) config.output = resolve(opts.output);
        await runCell(config, {
          baseDir: dirname(resolve(file)),
          progress: process.stdout.isTTY ? barProgress : undefined,
        });
      }),
    );
}
