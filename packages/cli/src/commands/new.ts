import { relative } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { lookrightRoot } from '@lookright/core';
import { writeMaskStrategyPackage } from '../new-mask-strategy/write-package.js';
import { action } from '../run-command.js';

/** `new mask-strategy <dir> [--id mask:name]`: writes a working plugin package to start from. */
export function register(program: Command): void {
  const create = program.command('new').description('write a new plugin package to start from');
  create
    .command('mask-strategy')
    .description(
      'write a mask-strategy package (descriptor, errors, bindings, a spec, a README) that loads from any folder with no install',
    )
    .argument('<dir>', 'a new or empty folder')
    .option('--id <id>', 'plugin id, mask:<name> (default: mask: plus the folder name)')
    .action(
      action((dir, options) => {
        const written = writeMaskStrategyPackage(dir, lookrightRoot(), options.id);
        const fromHere = relative(process.cwd(), written.dir) || '.';
        const shown = fromHere.startsWith('..') ? written.dir : fromHere;
        process.stdout.write(`wrote ${written.id} to ${written.dir}:\n`);
        for (const file of written.files) process.stdout.write(`  ${file}\n`);
        process.stdout.write(
          `next (from the lookright checkout):\n  pnpm lookright test-plugin ${shown}\n` +
            `  pnpm lookright audit-mask --model <checkpoint> --mask ${written.id} --plugin ${shown}\n` +
            `and list the folder under a suite's plugins: to run it.\n`,
        );
      }),
    );
}
