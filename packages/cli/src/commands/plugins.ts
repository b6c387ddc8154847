import type { Command } from '@commander-js/extra-typings';
import { loadRegistry } from '@lookright/core';
import { describeSchema } from '../describe-schema.js';
import { action } from '../run-command.js';

/** `plugins list [--json]` and `plugins describe <id>`. */
export function register(program: Command): void {
  const plugins = program.command('plugins').description('list and describe installed plugins');

  plugins
    .command('list')
    .description('list every installed plugin')
    .option('--json', 'print a JSON array of {id, kind, package, summary}')
    .action(
      action(async (options) => {
        const registry = await loadRegistry();
        const rows = registry.all().map(({ descriptor, origin }) => ({
          id: descriptor.id,
          kind: descriptor.kind,
          package: origin.packageName,
          summary: descriptor.summary,
        }));
        if (options.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        if (rows.length === 0) {
          process.stdout.write('no plugins installed\n');
          return;
        }
        const width = Math.max(...rows.map((r) => r.id.length));
        for (const row of rows) process.stdout.write(`${row.id.padEnd(width)}  ${row.summary}  (${row.package})\n`);
      }),
    );

  plugins
    .command('describe')
    .description("show a plugin's summary and params")
    .argument('<id>', 'plugin id, e.g. mask:groups')
    .action(
      action(async (id) => {
        const registry = await loadRegistry();
        const { descriptor, origin } = registry.get(id);
        process.stdout.write(
          `${descriptor.id} (${descriptor.kind}) from ${origin.packageName}@${origin.packageVersion}\n`,
        );
        process.stdout.write(`${descriptor.summary}\n\nparams:\n${describeSchema(descriptor.paramsSchema)}\n`);
      }),
    );
}
