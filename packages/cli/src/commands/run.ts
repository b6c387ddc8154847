import { join } from 'node:path';
import { type Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { LookrightError } from '@lookright/core';
import { dryRunSuite, RunStore, runSuite, writeReport } from '@lookright/harness';
import { action } from '../run-command.js';

function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1)
      throw new InvalidArgumentError(`${flag} takes a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, got ${value}`);
    return n;
  };
}

/**
 * `run <suite.yaml>`: every cell of the suite not yet FINISHED in the store, each in its own worker process, then
 * the suite's report (Markdown, CSV, HTML) under <store>/reports/<suite>; `--dry-run` lists the cells with an
 * estimated cost instead.
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
          limits: { timeoutSeconds: options.cellTimeout ?? null, memoryMiB: options.cellMemory ?? null },
        });
        if (result.summary.failed || result.summary.interrupted) process.exitCode = 1;
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
