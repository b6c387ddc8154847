import { type Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { predictFromAdapter } from '@lookright/train';
import { action } from '../run-command.js';

function parseSplit(value: string): 'dev' | 'test' {
  if (value !== 'dev' && value !== 'test') throw new InvalidArgumentError('expected dev or test');
  return value;
}

/** `predict --adapter <dir> --out <file>`: labels a split with an exported adapter, as its cell did. */
export function register(program: Command): void {
  program
    .command('predict')
    .description(
      'load an exported adapter (lookright export) onto its base model with the recorded masks and predict a ' +
        'split of its dataset; writes conlleval lines (word gold predicted) like the cell’s predictions file',
    )
    .requiredOption('--adapter <dir>', 'folder written by lookright export (or a cell’s output/peft)')
    .requiredOption('--out <file>', 'conlleval file to write')
    .option('--split <name>', 'dev | test', parseSplit, 'test' as const)
    .option('--base-dir <dir>', 'folder the dataset and backbone params resolve against (default: the recorded one)')
    .action(
      action(async (opts) => {
        const report = await predictFromAdapter(opts.adapter, {
          split: opts.split,
          out: opts.out,
          baseDir: opts.baseDir,
        });
        process.stdout.write(
          `${opts.out}: ${opts.split} F1 ${(report.f1 * 100).toFixed(2)}, accuracy ${(report.accuracy * 100).toFixed(2)}\n`,
        );
      }),
    );
}
