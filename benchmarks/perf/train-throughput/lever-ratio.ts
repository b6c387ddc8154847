/**
 * Levers of the native step, measured as a ratio in one process: the trainer's step with the native ops and
 * kernels as shipped against the same step with some training ops put back to the engine's plain tfjs versions
 * (--ops) and some native kernels put back to the backend's own (--kernels), from the same seed, steps
 * interleaved (A B, B A, ...), median of the per-pair time ratios (wall and process CPU). The two runs' losses
 * are compared step by step: equal bits mean the levers change no number.
 * Usage: node --import tsx benchmarks/perf/train-throughput/lever-ratio.ts --config reference --mode lora
 *        [--ops linearAdd] [--kernels Add,Multiply] [--steps 10]
 */
import '@tensorflow/tfjs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { replaceTrainingOps, selectBackend, tfjsTrainingOps } from '@lookright/engine';
import { enableNative, nativeTrainingOps, withOriginalKernels } from '@lookright/native';
import { type BenchMode, benchModels, decoderConfig } from './bench-config.js';
import { makeTrainSetup, type TrainSetup } from './train-step.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: 'reference' },
      mode: { type: 'string', default: 'lora' },
      ops: { type: 'string', default: 'linearAdd' },
      kernels: { type: 'string', default: 'Add,Multiply' },
      steps: { type: 'string', default: '10' },
    },
  });
  const list = (v: string | undefined) => (v ?? '').split(',').filter((x) => x !== '');
  const ops = list(values.ops) as (keyof typeof tfjsTrainingOps)[];
  const kernels = list(values.kernels);
  for (const op of ops) {
    if (!(op in tfjsTrainingOps)) throw new Error(`--ops takes names of ${Object.keys(tfjsTrainingOps).join(', ')}`);
  }
  await selectBackend('wasm');
  if (!enableNative().enabled) throw new Error('the native addon did not load');
  const cfg = decoderConfig(benchModels[values.config as keyof typeof benchModels]);
  const mode = values.mode as BenchMode;
  const withLever = { ...nativeTrainingOps() };
  const withoutLever = { ...withLever, ...Object.fromEntries(ops.map((op) => [op, tfjsTrainingOps[op]])) };
  const timedStep = (setup: TrainSetup, opSet: typeof withLever, original: readonly string[]) => {
    const restore = replaceTrainingOps(opSet);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const loss = withOriginalKernels(original, () => setup.step());
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    restore();
    return { loss, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
  };
  const withStep = (setup: TrainSetup) => timedStep(setup, withLever, []);
  const withoutStep = (setup: TrainSetup) => timedStep(setup, withoutLever, kernels);
  const fused = makeTrainSetup(cfg, mode);
  const plain = makeTrainSetup(cfg, mode);
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  const fusedMs: number[] = [];
  const plainMs: number[] = [];
  let sameLoss = true;
  const steps = Number(values.steps);
  for (let i = 0; i < steps + 2; i++) {
    const first = i % 2 === 0 ? withoutStep(plain) : undefined;
    const a = withStep(fused);
    const b = first ?? withoutStep(plain);
    sameLoss &&= Object.is(a.loss, b.loss);
    if (i < 2) continue; // warm-up pairs
    ratios.push(b.ms / a.ms);
    cpuRatios.push(b.cpuMs / a.cpuMs);
    fusedMs.push(a.ms);
    plainMs.push(b.ms);
  }
  const line = {
    config: values.config,
    mode,
    without_ops: ops,
    without_kernels: kernels,
    pairs: ratios.length,
    median_ms_with: Number(median(fusedMs).toFixed(1)),
    median_ms_without: Number(median(plainMs).toFixed(1)),
    speedup_median: Number(median(ratios).toFixed(3)),
    cpu_speedup_median: Number(median(cpuRatios).toFixed(3)),
    losses_bit_identical: sameLoss,
    load_average_1m: Number(loadavg()[0].toFixed(2)),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  fused.dispose();
  plain.dispose();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
