import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { loadRegistry } from '@lookright/core';
import { createTrackers, QueueCellWorker, redisTarget, trainRunnerRef } from '@lookright/harness';
import { action } from '../run-command.js';
import { positiveInt } from './positive-int.js';

/**
 * `worker --queue <redis-url>`: runs cells that `lookright run --queue` submits, on this machine, until Ctrl-C
 * (the first waits for the running cells, a second stops at once; their jobs are retried elsewhere).
 */
export function register(program: Command): void {
  program
    .command('worker')
    .description('run cells from a Redis queue that `lookright run --queue` fills (any number of machines)')
    .requiredOption(
      '--queue <redis-url>',
      'Redis URL: redis://[:password@]host:port[/db] or rediss:// (TLS; a private CA in LOOKRIGHT_REDIS_CA)',
    )
    .option('--concurrency <n>', 'cells at once, one worker process each', positiveInt('--concurrency'), 1)
    .option('--backend <name>', 'refuse to start unless backend auto resolves to this here (wasm, tensorflow, ...)')
    .option('--scratch <dir>', "this machine's own store of the cells it runs", 'lookright-worker')
    .option('--cell-timeout <seconds>', 'kill a cell running longer than this', positiveInt('--cell-timeout'))
    .option('--cell-memory <MiB>', 'kill a cell whose resident memory exceeds this', positiveInt('--cell-memory'))
    .option(
      '--max-result-mib <MiB>',
      'largest compressed result sent back (default 64); a larger one fails the cell',
      positiveInt('--max-result-mib'),
    )
    .option(
      '--lock-seconds <s>',
      "a dead worker's cell is retried after this (plus one check interval)",
      positiveInt('--lock-seconds'),
      30,
    )
    .action(
      action(async (options) => {
        const lockMs = options.lockSeconds * 1000;
        const registry = await loadRegistry();
        // with MLFLOW_TRACKING_URI set here, tracked cells' files travel as MLflow artifacts instead of via Redis
        const trackers = await createTrackers(registry, undefined, {
          baseDir: process.cwd(),
          env: process.env,
          log: (line) => console.log(line),
        });
        const cellFiles = trackers.find((t) => t.cellFiles)?.cellFiles;
        const worker = await QueueCellWorker.start({
          target: redisTarget(options.queue),
          scratchDir: resolve(options.scratch),
          concurrency: options.concurrency,
          runner: trainRunnerRef,
          limits: { timeoutSeconds: options.cellTimeout ?? null, memoryMiB: options.cellMemory ?? null },
          registry,
          ...(cellFiles && { cellFiles }),
          ...(options.backend && { backend: options.backend }),
          ...(options.maxResultMib && { maxResultBytes: options.maxResultMib * 2 ** 20 }),
          lockMs,
          stalledIntervalMs: lockMs,
        });
        await new Promise<void>((resolveStop) => {
          let stopping = false;
          const onSignal = () => {
            if (stopping) process.exit(130);
            stopping = true;
            console.log(
              'stopping: finishing the running cells (Ctrl-C again to stop at once; they are retried elsewhere)',
            );
            void worker.close().then(resolveStop);
          };
          process.on('SIGINT', onSignal);
          process.on('SIGTERM', onSignal);
        });
      }),
    );
}
