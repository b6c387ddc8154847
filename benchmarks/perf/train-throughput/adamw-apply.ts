/**
 * The trainer's AdamW.apply on the reference/full parameter shapes (5.2 M parameters), on wasm: the fused native
 * update (native on) against the tfjs ops (native off), in interleaved rounds of one process; prints ms per apply
 * for each round and the ratio of the best times. The two give bit-identical weights (adamw-fused.spec.ts).
 * Usage: node --import tsx benchmarks/perf/train-throughput/adamw-apply.ts
 */
import '@tensorflow/tfjs-backend-wasm';
import '@lookright/engine/stock-gradients';
import { disableNative, enableNative } from '@lookright/native';
import { AdamW } from '@lookright/train';
import * as tf from '@tensorflow/tfjs-core';
import { benchModels, LABELS, VOCAB } from './bench-config.js';

const { hidden: h, intermediate: inter, layers } = benchModels.reference;
const vocab = VOCAB;
const shapes: number[][] = [[vocab, h], [h], [h, LABELS], [LABELS]];
for (let l = 0; l < layers; l++)
  shapes.push([h, h], [h, h], [h, h], [h, h], [h, inter], [h, inter], [inter, h], [h], [h]);

async function time(native: boolean, steps: number): Promise<number> {
  if (native) enableNative({ ignoreEnv: true, log: () => {} });
  else disableNative();
  const params = shapes.map((s) => tf.tidy(() => tf.variable(tf.randomNormal(s, 0, 0.02, 'float32', 1))));
  const grads = shapes.map((s) => tf.randomNormal(s, 0, 0.01, 'float32', 2));
  const opt = new AdamW(params, { betas: [0.9, 0.95], eps: 1e-5, weightDecay: 0.1 });
  const scale = tf.scalar(0.5);
  opt.apply(grads, 2e-4, scale);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) opt.apply(grads, 2e-4, scale);
  params[0].dataSync();
  const ms = (performance.now() - t0) / steps;
  opt.dispose();
  tf.dispose([...params, ...grads, scale]);
  return ms;
}

await tf.setBackend('wasm');
await tf.ready();
const rounds: Record<string, number[]> = { fused: [], tfjs: [] };
for (let r = 0; r < 3; r++) {
  rounds.tfjs.push(await time(false, 5));
  rounds.fused.push(await time(true, 5));
}
const best = (xs: number[]) => Math.min(...xs);
console.log(
  JSON.stringify({
    params: shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0),
    ms_per_apply: rounds,
    ratio_tfjs_over_fused_best: Number((best(rounds.tfjs) / best(rounds.fused)).toFixed(1)),
  }),
);
