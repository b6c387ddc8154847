/**
 * `pnpm bench:gpu [--smoke] [--steps N] [--warmup N] [--weights f32|bf16|f16] [--only name,...] [--json file]`:
 * the GPU training benchmark on the webgpu backend (see gpu-bench.ts). A hardware adapter is used, or the software
 * one with LOOKRIGHT_WEBGPU_ADAPTER=software, where only `--smoke` is practical.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { WeightStorage } from '@lookright/engine';
import { runGpuBench } from './gpu-bench.js';
import { formatGpuBenchTable } from './gpu-bench-table.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      steps: { type: 'string' },
      warmup: { type: 'string' },
      weights: { type: 'string', default: 'f32' },
      only: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const weights = values.weights as WeightStorage;
  if (!['f32', 'bf16', 'f16', 'nf4'].includes(weights)) throw new Error('--weights must be f32, bf16, f16 or nf4');
  const report = await runGpuBench({
    smoke: values.smoke,
    steps: Number(values.steps ?? (values.smoke ? 2 : 10)),
    warmup: Number(values.warmup ?? (values.smoke ? 1 : 2)),
    weights,
    only: values.only?.split(','),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${formatGpuBenchTable(report)}\n`);
}

main().catch((err: unknown) => {
  const e = err as Error & { code?: string; hint?: string };
  process.stderr.write(
    `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}${e.hint ? `\nhint: ${e.hint}` : ''}\n`,
  );
  process.exit(1);
});
