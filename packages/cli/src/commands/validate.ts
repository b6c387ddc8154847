import { dirname, resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { loadRegistry, readSuitePluginList } from '@lookright/core';
import { prepareSuite } from '@lookright/harness';
import { action } from '../run-command.js';

/**
 * `validate <suite.yaml>`: the schema check against every installed plugin, then the expansion into cells, which
 * asks each backbone whether each mask applies to it (an encoder takes only bidirectional layers). Nothing is
 * downloaded and nothing is trained.
 */
export function register(program: Command): void {
  program
    .command('validate')
    .description(
      'check a suite against the schema composed from every installed plugin, and every backbone × mask pair',
    )
    .argument('<suite>', 'suite YAML file')
    .action(
      action(async (file) => {
        const registry = await loadRegistry({ extra: readSuitePluginList(file), baseDir: dirname(resolve(file)) });
        const notes: string[] = [];
        const { suite, cells } = await prepareSuite(file, {
          registry,
          missingData: 'mark',
          print: (line) => notes.push(line),
        });
        for (const note of notes) process.stdout.write(`note: ${note}\n`);
        process.stdout.write(`${file}: valid suite ${suite.name} (${cells.length} cells)\n`);
      }),
    );
}
