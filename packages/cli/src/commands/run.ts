import { join } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { LookrightError } from '@lookright/core';
import { dryRunSuite, QueueScheduler, RunStore, redisTarget, runSuite, writeReport } from '@lookright/harness';
import { action } from '../run-command.js';
import { positiveInt } from './positive-int.js';

/**
 * `run <suite.yaml>`: every cell of the suite not yet FINISHED in the store, each in its own worker process, then
 * the suite's report (Markdown, CSV, HTML) under <store>/reports/<suite>; `--dry-run` lists the cells with an
 * estimated cost instead. With `--queue <redis-url>` the cells run on `lookright worker` processes anywhere (see
 * docs/distributed.md); this process enqueues them, records each result in the store as it arrives and writes the
 * same report.
 */
export function register(program: Command): void {
  program
    .command('run')
    .description('run every cell of a suite that is not FINISHED yet (resumable; a finished suite runs nothing)')
    .argument('<suite>', 'suite YAML file')
    .option('--dry-run', 'list the cells and an estimated cost (from a short calibration); run nothing')
    .option('--no-calibrate', 'with --dry-run: estimate without timing training steps')
    .option('--workers <n>', 'worker processes (default: one per core)', positiveInt('--workers'))
    .option('--store <dir>', 'run store folder', 'lookright-runs')
    .option('--cell-timeout <seconds>', 'kill a cell running longer than this', positiveInt('--cell-timeout'))
    .option('--cell-memory <MiB>', 'kill a cell whose resident memory exceeds this', positiveInt('--cell-memory'))
    .option(
      '--queue <redis-url>',
      'run the cells on `lookright worker` processes through Redis (redis:// or rediss://; a private CA in LOOKRIGHT_REDIS_CA)',
    )
    .option('--attempts <n>', 'with --queue: tries per cell before it is FAILED (default 3)', positiveInt('--attempts'))
    .action(
      action(async (suiteFile, options) => {
        if (options.dryRun) {
          await dryRunSuite({
            suiteFile,
            storeDir: options.store,
            workers: options.workers,
            calibrate: options.calibrate,
          });
          return;
        }
        const result = await runSuite({
          suiteFile,
          storeDir: options.store,
          workers: options.workers,
          ...(options.queue && {
            scheduler: new QueueScheduler({ target: redisTarget(options.queue), attempts: options.attempts }),
          }),
          limits: { timeoutSeconds: options.cellTimeout ?? null, memoryMiB: options.cellMemory ?? null },
        });
        if (result.summary.failed || result.summary.blocked || result.summary.interrupted) process.exitCode = 1;
        const store = RunStore.open(result.storeDir);
        try {
          const outDir = join(store.dir, 'reports', result.suiteName);
          const report = await writeReport(store, { suiteName: result.suiteName, outDir });
          process.stdout.write(
            `report of ${report.cells} finished cells: ${report.html}\n  (also ${report.markdown}, ${report.csv})\n`,
          );
        } catch (error) {
          if (!(error instanceof LookrightError)) throw error;
          process.stdout.write(`no report: ${error.message}\n`);
        } finally {
          store.close();
        }
      }),
    );
}
