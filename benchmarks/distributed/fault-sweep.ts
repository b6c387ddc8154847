/**
 * The fault sweep (issue 17): `node --import tsx benchmarks/distributed/fault-sweep.ts [--rounds 20] [--seed 1]
 * [--scheduler queue|local|both] [--seeds 3] [--step-ms 30]`. Each round runs a small suite (CPU test runner, two
 * masks × `--seeds` cells) and kill -9s the harness, a worker or Redis at a seeded random moment, runs to
 * completion and checks: every cell FINISHED exactly once, metrics and artifacts equal an undisturbed run's, exactly
 * one MLflow child run per cell, FINISHED (recorded-transcript stand-in). Prints one line per round and a JSON summary;
 * exits 1 at the first violation. Needs redis-server for the queue sweep.
 */
import { parseArgs } from 'node:util';
import { faultSweep, type RoundResult } from '../../packages/harness/src/testing/fault-sweep.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    scheduler: { type: 'string', default: 'both' },
    seeds: { type: 'string', default: '2' },
    'step-ms': { type: 'string', default: '30' },
    'max-kill-ms': { type: 'string', default: '4000' },
  },
});
const schedulers =
  values.scheduler === 'both' ? (['queue', 'local'] as const) : [values.scheduler as 'queue' | 'local'];
const summary: Record<string, unknown> = {};
for (const scheduler of schedulers) {
  const started = Date.now();
  console.log(`== ${scheduler}: ${values.rounds} rounds, seed ${values.seed}`);
  const rounds: RoundResult[] = await faultSweep({
    scheduler,
    rounds: Number(values.rounds),
    seed: Number(values.seed),
    seeds: Array.from({ length: Number(values.seeds) }, (_, i) => i + 1),
    stepMs: Number(values['step-ms']),
    maxKillMs: Number(values['max-kill-ms']),
    log: (line) => console.log(line),
  });
  const by = (key: keyof RoundResult) =>
    Object.fromEntries(
      [...new Set(rounds.map((r) => String(r[key])))].map((v) => [
        v,
        rounds.filter((r) => String(r[key]) === v).length,
      ]),
    );
  summary[scheduler] = {
    rounds: rounds.length,
    targets: by('target'),
    hits: by('hit'),
    harnessRuns: by('harnessRuns'),
    cellsChecked: rounds.reduce((n, r) => n + r.cells, 0),
    mlflowChildRuns: rounds.reduce((n, r) => n + r.mlflowChildRuns, 0),
    filesThroughMlflow: rounds.reduce((n, r) => n + r.filesThroughMlflow, 0),
    minutes: Number(((Date.now() - started) / 60_000).toFixed(1)),
  };
}
console.log(JSON.stringify(summary, null, 2));
