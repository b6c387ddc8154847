import { dirname } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { loadRegistry, readSuitePluginList, validateSuiteFile } from '@lookright/core';
import { action } from '../run-command.js';

/** `validate <suite.yaml>`: schema check against every installed plugin; no work is started. */
export function register(program: Command): void {
  program
    .command('validate')
    .description('check a suite file against the schema composed from every installed plugin')
    .argument('<suite>', 'suite YAML file')
    .action(
      action(async (file) => {
        const registry = await loadRegistry({ extra: readSuitePluginList(file), baseDir: dirname(file) });
        const suite = validateSuiteFile(file, registry);
        process.stdout.write(`${file}: valid suite ${suite.name}\n`);
      }),
    );
}
