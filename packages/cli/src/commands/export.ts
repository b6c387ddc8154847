import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { exportCell, harnessErrors, RunStore, storeFileName } from '@lookright/harness';
import { action } from '../run-command.js';

/** `export <cell> --store dir --out dir`: a FINISHED LoRA cell as a PEFT adapter folder with a model card. */
export function register(program: Command): void {
  program
    .command('export')
    .description(
      'write a finished LoRA cell as a PEFT v0.7.1 adapter (adapter_config.json, adapter_model.safetensors with ' +
        'the head), lookright.json (masks, labels, scheme, alignment) and a model card README.md',
    )
    .argument('<cell>', 'cell hash or a unique prefix of it (at least 4 hex digits)')
    .option('--store <dir>', 'run store folder', 'lookright-runs')
    .requiredOption('--out <dir>', 'folder to write the adapter into')
    .action(
      action(async (cell, options) => {
        const file = join(options.store, storeFileName);
        if (!existsSync(file)) throw harnessErrors.storeUnopenable(file, 'no run store there (run a suite first)');
        const store = RunStore.open(options.store);
        try {
          const result = exportCell(store, cell, options.out);
          process.stdout.write(`cell ${result.hash} exported to ${result.outDir}:\n`);
          for (const file of result.files) process.stdout.write(`  ${file}\n`);
        } finally {
          store.close();
        }
      }),
    );
}
