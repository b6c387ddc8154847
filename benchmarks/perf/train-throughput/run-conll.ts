/**
 * The fifth bench:train row: the first cell of benchmarks/suites/quickstart-conll.yaml (stories260K, causal mask,
 * CoNLL-2003 NER subset, seed 1) run end to end by the trainer's cell runner, as a worker runs it: dataset loading,
 * word/sub-word alignment, training, dev/test evaluation and artifacts. Prints one JSON line with tokens/s over the
 * whole run (`tokens_per_s`) and over its optimiser steps only (`step_tokens_per_s`), so the overheads outside the
 * step show; `{skipped}` when LOOKRIGHT_DATA_DIR is not set. --native off sets LOOKRIGHT_NATIVE=0.
 * Usage: node --import tsx run-conll.ts [--native on|off] [--epochs N] [--train-limit N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { prepareSuite } from '@lookright/harness';

const suiteFile = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'suites', 'quickstart-conll.yaml');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      native: { type: 'string', default: 'on' },
      epochs: { type: 'string' },
      'train-limit': { type: 'string' },
    },
  });
  const row = { config: 'quickstart-conll', mode: 'cell' };
  if (!process.env.LOOKRIGHT_DATA_DIR) {
    process.stdout.write(`${JSON.stringify({ ...row, skipped: 'LOOKRIGHT_DATA_DIR is not set' })}\n`);
    return;
  }
  if (values.native === 'off') process.env.LOOKRIGHT_NATIVE = '0';
  const { cells, runner } = await prepareSuite(suiteFile, { print: () => {} });
  const cell = cells[0];
  const recipe = {
    ...cell.config.recipe,
    ...(values.epochs && { epochs: Number(values.epochs) }),
    ...(values['train-limit'] && { trainLimit: Number(values['train-limit']) }),
  };
  const artifactDir = mkdtempSync(join(tmpdir(), 'bench-conll-'));
  const lines: string[] = [];
  try {
    const started = performance.now();
    const result = await runner.run(
      { ...cell.config, recipe },
      {
        artifactDir,
        log: (line) => lines.push(line),
        reportStep: () => {},
        isCancelled: () => false,
        env: process.env,
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const m = result.metrics;
    const line = {
      ...row,
      cell: `${cell.labels.backbone} × ${cell.labels.mask} × ${cell.labels.dataset} × seed ${cell.labels.seed}`,
      native: !lines.some((l) => l.startsWith('native kernels off')),
      tokens_per_s: Math.round(m.trainTokens / seconds),
      step_tokens_per_s: Math.round(m.trainTokens / m.trainSeconds),
      seconds: Number(seconds.toFixed(1)),
      train_seconds: Number(m.trainSeconds.toFixed(1)),
      train_tokens: m.trainTokens,
      steps: m.steps,
      dev_f1: Number(m['dev.f1'].toFixed(4)),
      // the runner's backend line (cell-backend.ts): `backend: wasm (<reason>; <package>, threads 2)`
      wasm_threads: Number(/^backend: wasm \(.*, threads (\d+)\)$/m.exec(lines.join('\n'))?.[1]) || null,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    rmSync(artifactDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
