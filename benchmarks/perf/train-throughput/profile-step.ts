/**
 * Where one native training step spends its time: wall time per tfjs kernel (summed over a few steps, via the
 * engine's kernel hook) against the whole step. Usage:
 *   node --import tsx benchmarks/perf/train-throughput/profile-step.ts --config reference --mode lora [--steps 5] [--shapes]
 * (--shapes: matmuls and element-wise kernels one row per input shapes). Kernel times of nested scopes (custom
 * gradients: `unnamed scope`, `*__op`) include the kernels inside them.
 */
import '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { replaceTrainingOps, selectBackend } from '@lookright/engine';
import { enableNative, nativeTrainingOps } from '@lookright/native';
import * as tf from '@tensorflow/tfjs-core';
import { type BenchMode, benchModels, decoderConfig } from './bench-config.js';
import { makeTrainSetup } from './train-step.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', default: 'reference' },
      mode: { type: 'string', default: 'lora' },
      steps: { type: 'string', default: '5' },
      shapes: { type: 'boolean', default: false },
    },
  });
  await selectBackend('wasm');
  if (!enableNative().enabled) throw new Error('the native addon did not load');
  replaceTrainingOps(nativeTrainingOps());
  const model = benchModels[values.config as keyof typeof benchModels];
  const setup = makeTrainSetup(decoderConfig(model), values.mode as BenchMode);
  for (let i = 0; i < 2; i++) setup.step();
  const steps = Number(values.steps);
  const perKernel = new Map<string, { ms: number; calls: number }>();
  let stepMs = 0;
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const info = await tf.profile(() => {
      setup.step();
    });
    stepMs += performance.now() - t0;
    for (const k of info.kernels) {
      const key =
        values.shapes && /MatMul|Add|Multiply|Sub|Sum|Cast|Square/.test(k.name)
          ? `${k.name} ${JSON.stringify(k.inputShapes)}`
          : k.name;
      const rec = perKernel.get(key) ?? { ms: 0, calls: 0 };
      rec.ms += Number(k.kernelTimeMs) || 0;
      rec.calls += 1;
      perKernel.set(key, rec);
    }
  }
  const rows = [...perKernel.entries()]
    .map(([name, r]) => ({ name, ms: r.ms / steps, calls: r.calls / steps }))
    .sort((a, b) => b.ms - a.ms);
  const kernelMs = rows.reduce((s, r) => s + r.ms, 0);
  const dispatches = rows.reduce((s, r) => s + r.calls, 0);
  process.stdout.write(`${JSON.stringify({ step_ms_profiled: stepMs / steps, kernel_ms: kernelMs, dispatches })}\n`);
  for (const r of rows) process.stdout.write(`${r.name.padEnd(28)} ${r.ms.toFixed(2).padStart(8)} ms ${r.calls}\n`);
  setup.dispose();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
