import { dirname, resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { loadRegistry, readSuitePluginList } from '@lookright/core';
import { type DatasetFingerprinter, prepareSuite } from '@lookright/harness';
import { action } from '../run-command.js';

/** With --no-data: every dataset is taken as it is named, nothing is read. */
const dataNotRead: DatasetFingerprinter = async () => ({
  files: [],
  trainSentences: null,
  unavailable: 'not read (--no-data)',
});

/**
 * `validate <suite.yaml>`: the schema check against every installed plugin, then the expansion into cells, which
 * asks each backbone whether each mask applies to it (an encoder takes only bidirectional layers), and reads every
 * dataset as `run` would: a dataset that cannot be read (missing file, not UTF-8, bad line, empty split) is an
 * error naming the data file and line, so nothing that passes here fails `run` on its data. `--no-data` skips
 * reading the data. Backbones are opened offline (never downloaded); a dataset found nowhere locally is fetched
 * into the HF cache as `run` would fetch it. Nothing is trained.
 */
export function register(program: Command): void {
  program
    .command('validate')
    .description(
      'check a suite against the schema composed from every installed plugin, every backbone × mask pair, and its data',
    )
    .argument('<suite>', 'suite YAML file')
    .option('--no-data', 'do not read the datasets (schema, filters and backbone × mask pairs only)')
    .action(
      action(async (file, options) => {
        const registry = await loadRegistry({ extra: readSuitePluginList(file), baseDir: dirname(resolve(file)) });
        const notes: string[] = [];
        const { suite, cells, pretrain } = await prepareSuite(file, {
          registry,
          missingData: options.data ? 'error' : 'mark',
          ...(!options.data && { fingerprint: dataNotRead }),
          print: (line) => notes.push(line),
        });
        for (const note of notes) process.stdout.write(`note: ${note}\n`);
        const data = options.data ? '' : ', data not read';
        const pretraining = pretrain.length ? ` and ${pretrain.length} pre-training cell(s)` : '';
        process.stdout.write(`${file}: valid suite ${suite.name} (${cells.length} cells${pretraining}${data})\n`);
      }),
    );
}
