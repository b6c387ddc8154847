/**
 * The GPU training benchmark (`pnpm bench:gpu`): per config, LoRA training steps on the webgpu backend, reporting
 * tokens/s, achieved TFLOP/s as a fraction of the GPU's published f32 peak and of the best plain GEMM the same run
 * measures, peak GPU buffer bytes, dispatches and uploads per step.
 */
import {
  replaceTrainingOps,
  selectBackend,
  type WebgpuAdapterDescription,
  type WeightStorage,
  webgpuTrainingOps,
} from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';
import { LABELS, LORA } from '../train-throughput/bench-config.js';
import { type GpuBenchConfig, gpuBenchConfigs, smokeConfigs } from './gpu-bench-configs.js';
import { GpuCounters } from './gpu-counters.js';
import { type PublishedPeak, publishedF32Peak } from './gpu-peaks.js';
import { makeGpuTrainSetup } from './gpu-train-step.js';
import { trainingFlops } from './training-flops.js';

/** Options of one benchmark run. */
export interface GpuBenchOptions {
  /** Shrunk shapes for the software adapter (see smokeConfigs). */
  smoke: boolean;
  steps: number;
  warmup: number;
  weights: WeightStorage;
  /** Only these configs (default: all). */
  only?: readonly string[];
  log?: (line: string) => void;
}

/** One config's measurement. */
export interface GpuBenchRow {
  config: string;
  batch: number;
  seq: number;
  weights: WeightStorage;
  msPerStep: number;
  tokensPerSecond: number;
  /** Model FLOPs per step (trainingFlops) over the step time. */
  tflops: number;
  /** tflops / the published f32 peak; null when the device is not in the table. */
  fractionOfPeak: number | null;
  /** tflops / the best plain GEMM measured in the same run. */
  fractionOfGemm: number;
  /** Most bytes tfjs held in GPU buffers during the timed steps (live tensors plus its pool). */
  peakGpuBytes: number;
  dispatchesPerStep: number;
  /** Values held on the CPU copied to the GPU per step (scalar constants, masks built on the CPU). */
  uploadsPerStep: number;
  trainableParams: number;
  finalLoss: number;
}

/** A whole run. */
export interface GpuBenchReport {
  adapter: WebgpuAdapterDescription;
  peak: PublishedPeak | null;
  gemm: { shape: [number, number, number]; tflops: number }[];
  bestGemmTflops: number;
  rows: GpuBenchRow[];
}

/** f32 GEMM shapes [m, k, n] measured for the "best plain GEMM": the 7B layer's projections at 2048 tokens, square. */
function gemmShapes(smoke: boolean): [number, number, number][] {
  if (smoke)
    return [
      [32, 128, 448],
      [128, 128, 128],
    ];
  return [
    [2048, 4096, 4096],
    [2048, 4096, 14336],
    [2048, 14336, 4096],
    [4096, 4096, 4096],
  ];
}

/** TFLOP/s of tf.matMul at [m, k] @ [k, n]: `reps` products queued, then one 1-element read waits for them. */
async function measureGemm([m, k, n]: [number, number, number], reps: number): Promise<number> {
  const a = tf.randomUniform([m, k], -1, 1, 'float32', 1);
  const b = tf.randomUniform([k, n], -1, 1, 'float32', 2);
  const run = async (count: number) => {
    const products = Array.from({ length: count }, () => tf.matMul(a, b));
    const corner = tf.slice(products[count - 1], [0, 0], [1, 1]);
    await corner.data();
    tf.dispose([...products, corner]);
  };
  try {
    await run(1);
    const started = performance.now();
    await run(reps);
    return (2 * m * k * n * reps) / ((performance.now() - started) / 1000) / 1e12;
  } finally {
    tf.dispose([a, b]);
  }
}

async function measureConfig(
  c: GpuBenchConfig,
  options: GpuBenchOptions,
  counters: GpuCounters,
): Promise<Omit<GpuBenchRow, 'fractionOfPeak' | 'fractionOfGemm'>> {
  const setup = await makeGpuTrainSetup(c, options.weights);
  try {
    for (let i = 0; i < options.warmup; i++) await setup.step();
    counters.takeDispatches();
    counters.takeUploads();
    counters.takePeakBytes();
    let loss = 0;
    const started = performance.now();
    for (let i = 0; i < options.steps; i++) {
      loss = await setup.step();
      counters.sample();
    }
    const ms = (performance.now() - started) / options.steps;
    const flops = trainingFlops(c.cfg, c.batch, c.seq, LABELS, {
      kind: 'lora',
      r: LORA.r,
      targets: LORA.targets.map((t) => `${t}_proj`),
    });
    return {
      config: c.name,
      batch: c.batch,
      seq: c.seq,
      weights: options.weights,
      msPerStep: ms,
      tokensPerSecond: (c.batch * c.seq * 1000) / ms,
      tflops: flops / (ms / 1000) / 1e12,
      peakGpuBytes: counters.takePeakBytes(),
      dispatchesPerStep: counters.takeDispatches() / options.steps,
      uploadsPerStep: counters.takeUploads() / options.steps,
      trainableParams: setup.trainableParams,
      finalLoss: loss,
    };
  } finally {
    setup.dispose();
  }
}

/**
 * Runs the benchmark on the webgpu backend (a hardware adapter, or the software one when asked for), with the
 * engine's ops on lookright's fused WGSL kernels as a training cell on webgpu has them.
 */
export async function runGpuBench(options: GpuBenchOptions): Promise<GpuBenchReport> {
  const log = options.log ?? (() => {});
  const backend = await selectBackend('webgpu');
  const adapter = backend.adapter!;
  const peak = publishedF32Peak(adapter.device, adapter.description);
  log(`adapter: ${adapter.kind} ${adapter.device || adapter.description}`);
  log(peak ? `published f32 peak: ${peak.tflops} TFLOP/s (${peak.name}; ${peak.source})` : 'published f32 peak: n/a');
  const counters = new GpuCounters();
  // the trainer's ops on webgpu (cell-backend.ts): lookright's fused WGSL kernels
  const restoreOps = replaceTrainingOps(webgpuTrainingOps());
  try {
    const gemm: GpuBenchReport['gemm'] = [];
    for (const shape of gemmShapes(options.smoke)) {
      const tflops = await measureGemm(shape, options.smoke ? 2 : 10);
      gemm.push({ shape, tflops });
      log(`gemm ${shape.join(' x ')}: ${tflops.toFixed(3)} TFLOP/s`);
    }
    const bestGemmTflops = Math.max(...gemm.map((g) => g.tflops));
    const configs = (options.smoke ? smokeConfigs() : gpuBenchConfigs()).filter(
      (c) => !options.only?.length || options.only.includes(c.name),
    );
    const rows: GpuBenchRow[] = [];
    for (const c of configs) {
      const measured = await measureConfig(c, options, counters);
      const row: GpuBenchRow = {
        ...measured,
        fractionOfPeak: peak ? measured.tflops / peak.tflops : null,
        fractionOfGemm: measured.tflops / bestGemmTflops,
      };
      rows.push(row);
      log(JSON.stringify(row));
    }
    return { adapter, peak, gemm, bestGemmTflops, rows };
  } finally {
    restoreOps();
    counters.dispose();
  }
}
