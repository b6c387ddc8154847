import type { Command } from '@commander-js/extra-typings';
import { loadRegistry } from '@lookright/core';
import {
  closingLine,
  createTrackers,
  drainOutbox,
  queueEndsOfAbandonedExecutions,
  queueEndsOfAbandonedRuns,
  RunStore,
} from '@lookright/harness';
import { action } from '../run-command.js';

/**
 * `mlflow sync [--store dir]`: replays the store's queued MLflow events, first closing the cell runs a killed harness
 * left open; safe to repeat.
 */
export function register(program: Command): void {
  program
    .command('mlflow')
    .description('MLflow tracking')
    .command('sync')
    .description('send the events queued while the MLflow server was unreachable (never duplicates a run)')
    .option('--store <dir>', 'run store folder', 'lookright-runs')
    .action(
      action(async (options) => {
        const store = RunStore.openExisting(options.store);
        try {
          const ctx = {
            baseDir: process.cwd(),
            env: process.env,
            log: (line: string) => process.stderr.write(`${line}\n`),
          };
          const trackers = await createTrackers(await loadRegistry(), [{ id: 'tracker:mlflow' }], ctx);
          const cells = queueEndsOfAbandonedRuns(store).length;
          const executions = queueEndsOfAbandonedExecutions(store).length;
          if (cells + executions) process.stdout.write(`${closingLine(cells, executions)}\n`);
          const result = await drainOutbox(store.outbox, trackers);
          process.stdout.write(`sent ${result.sent} event(s); ${result.pending} still queued\n`);
          for (const refused of result.refused)
            process.stdout.write(`refused #${refused.id} ${refused.type}: ${refused.reason}\n`);
          if (result.unreachable) {
            process.stdout.write('the MLflow server is unreachable; run `lookright mlflow sync` again later\n');
            process.exitCode = 1;
          } else if (result.refused.length) process.exitCode = 1;
        } finally {
          store.close();
        }
      }),
    );
}
