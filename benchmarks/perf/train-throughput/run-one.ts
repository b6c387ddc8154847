/**
 * One benchmark measurement in its own process: builds the model, runs warm-up and timed steps, prints one JSON
 * line {config, mode, backend, native, tokens_per_s, ms_per_step, live_tensors, rss_mb, ...}.
 * Usage: node --import tsx run-one.ts --config reference|large --mode full|lora --backend wasm|cpu --native on|off
 *        [--steps 20] [--warmup 3] [--matmul-precision f32|bf16]
 * `--matmul-precision bf16` (native on only): every matmul with bf16 operands on AMX (@lookright/native's
 * setMatmulPrecision), as a recipe with `matmulPrecision: bf16` runs.
 */
import '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { replaceTrainingOps, selectBackend } from '@lookright/engine';
import {
  enableNative,
  kernelTimes,
  type MatmulPrecision,
  nativeTrainingOps,
  setMatmulPrecision,
} from '@lookright/native';
import * as tf from '@tensorflow/tfjs-core';
import { BATCH, type BenchMode, benchModels, decoderConfig, SEQ } from './bench-config.js';
import { makeTrainSetup } from './train-step.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: 'reference' },
      mode: { type: 'string', default: 'full' },
      backend: { type: 'string', default: 'wasm' },
      native: { type: 'string', default: 'on' },
      steps: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
      'matmul-precision': { type: 'string', default: 'f32' },
    },
  });
  const model = benchModels[values.config as keyof typeof benchModels];
  if (!model) throw new Error(`--config must be one of ${Object.keys(benchModels).join(', ')}`);
  const mode = values.mode as BenchMode;
  if (mode !== 'full' && mode !== 'lora') throw new Error('--mode must be full or lora');
  const precision = values['matmul-precision'] as MatmulPrecision;
  if (precision !== 'f32' && precision !== 'bf16') throw new Error('--matmul-precision must be f32 or bf16');
  const backend = values.backend === 'cpu' ? 'cpu' : 'wasm';
  const { threads: wasmThreads } = await selectBackend(backend);
  let native = false;
  let blasThreads: number | undefined;
  let blasConfig: string | undefined;
  let kernelThreads: number | undefined;
  if (values.native === 'on') {
    const status = enableNative();
    if (status.enabled) {
      replaceTrainingOps(nativeTrainingOps());
      native = true;
      blasThreads = status.blasThreads;
      blasConfig = status.blas;
      kernelThreads = status.kernelThreads;
    }
  }
  // throws NATIVE_NOT_ENABLED / NATIVE_BF16_UNAVAILABLE rather than measuring float32 under a bf16 name
  if (precision === 'bf16') setMatmulPrecision('bf16');
  const setup = makeTrainSetup(decoderConfig(model), mode);
  const warmup = Number(values.warmup);
  const steps = Number(values.steps);
  for (let i = 0; i < warmup; i++) setup.step();
  kernelTimes();
  const counts: number[] = [];
  let rss = process.memoryUsage().rss;
  let loss = 0;
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < steps; i++) {
    loss = setup.step();
    counts.push(tf.memory().numTensors);
    rss = Math.max(rss, process.memoryUsage().rss);
  }
  const ms = (performance.now() - started) / steps;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / steps;
  const line = {
    config: model.name,
    mode,
    backend,
    native,
    matmul_precision: precision,
    tokens_per_s: Math.round((BATCH * SEQ * 1000) / ms),
    ms_per_step: Number(ms.toFixed(1)),
    cpu_ms_per_step: Number(cpuMs.toFixed(1)),
    live_tensors: counts[counts.length - 1],
    live_tensors_constant: counts.every((c) => c === counts[0]),
    rss_mb: Math.round(rss / 2 ** 20),
    trainable_params: setup.trainableParams,
    final_loss: Number(loss.toFixed(4)),
    blas_threads: blasThreads ?? null,
    kernel_threads: kernelThreads ?? null,
    blas: blasConfig ?? null,
    wasm_threads: backend === 'wasm' ? wasmThreads : null,
  };
  setup.dispose();
  if (process.env.LOOKRIGHT_NATIVE_PROFILE === '1' || process.env.LOOKRIGHT_NATIVE_PROFILE === 'shapes') {
    const perStep = Object.entries(kernelTimes())
      .map(([k, v]) => [k, Number((v.ms / steps).toFixed(2)), v.calls / steps] as const)
      .sort((a, b) => b[1] - a[1]);
    process.stderr.write(`native kernel ms/step (name, ms, calls): ${JSON.stringify(perStep)}\n`);
  }
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
