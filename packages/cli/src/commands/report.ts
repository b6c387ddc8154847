import type { Command } from '@commander-js/extra-typings';
import { harnessErrors, RunStore, writeReport } from '@lookright/harness';
import { action } from '../run-command.js';

/** `report [--store dir] [--suite name] [--out dir] [--metric name]`. */
export function register(program: Command): void {
  program
    .command('report')
    .description('write report.md, results.csv and report.html (tables, significance tests, SVG plots) for a suite')
    .option('--store <dir>', 'run store folder', 'lookright-runs')
    .option('--suite <name>', 'suite to report (default: the only or most recently updated suite in the store)')
    .option('--out <dir>', 'output folder (default: <store>/reports/<suite>)')
    .option(
      '--metric <name>',
      'final metric to compare (test.f1: token accuracy for tags without spans, such as POS)',
      'test.f1',
    )
    .action(
      action(async (options) => {
        const store = RunStore.openExisting(options.store);
        try {
          const suites = store.queries.suites();
          const suite = options.suite ?? [...suites].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0]?.name;
          if (!suite || !suites.some((s) => s.name === suite)) {
            throw harnessErrors.unknownSuite(
              suite ?? '(none)',
              suites.map((s) => s.name),
            );
          }
          const out = options.out ?? `${store.dir}/reports/${suite}`;
          const report = await writeReport(store, { suiteName: suite, outDir: out, metric: options.metric });
          process.stdout.write(
            `report of ${report.cells} cells:\n${[report.html, report.markdown, report.csv, ...report.svgs].map((p) => `  ${p}\n`).join('')}`,
          );
        } finally {
          store.close();
        }
      }),
    );
}
