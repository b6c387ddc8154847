/**
 * What each custom-gradient op buys: one training step (forward + backward, all parameters trainable, no
 * optimizer) of the reference decoder (hidden 256, 4 layers, 4 heads, intermediate 688, vocab 8000, seq 64) with the
 * engine's ops, then with one op at a time swapped for its stock-tfjs version. Rounds are interleaved and the best
 * step time per variant is kept, so background load hurts every variant alike.
 *
 *   node --import tsx benchmarks/perf/op-effects/main.ts [wasm|cpu] [batch=16] [rounds=2] [variant filter,...]
 *
 * Prints one JSON line per variant: {backend, batch, seq, variant, best_ms_per_step, tokens_per_s, vs_engine_ops}.
 */
import {
  buildDecoderParams,
  DecoderModel,
  expectedDecoderTensors,
  parseDecoderConfig,
  replaceTrainingOps,
  selectBackend,
  type TrainingOps,
} from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import { plainLayoutOps } from './plain-layout-ops.js';
import { stockOps } from './stock-ops.js';

const backend = process.argv[2] === 'cpu' ? 'cpu' : 'wasm';
const batch = Number(process.argv[3] ?? 16);
const rounds = Number(process.argv[4] ?? 2);
const filter = process.argv[5]?.split(',');
const seq = 64;
await selectBackend(backend);

const cfg = parseDecoderConfig(
  {
    model_type: 'llama',
    hidden_size: 256,
    num_attention_heads: 4,
    num_key_value_heads: 4,
    num_hidden_layers: 4,
    intermediate_size: 688,
    vocab_size: 8000,
  },
  'op-effects config',
);
const weights = new Map<string, tf.Tensor>();
let seed = 1;
for (const [name, shape] of expectedDecoderTensors(cfg)) {
  weights.set(name, name.includes('norm') ? tf.ones(shape) : tf.randomNormal(shape, 0, 0.05, 'float32', seed++));
}
const model = new DecoderModel(cfg, buildDecoderParams(cfg, weights, 'op-effects'), 'op-effects');
model.setTrainable(() => true);
const ids = tf.randomUniform([batch, seq], 0, cfg.vocabSize, 'int32', 5) as tf.Tensor2D;
const mask = tf.onesLike(ids) as tf.Tensor2D;
const specs = Array.from({ length: cfg.numLayers }, () => ({ kind: 'causal' }) as const);

function step(): void {
  tf.tidy(() => {
    const { grads } = tf.variableGrads(
      () => tf.mean(tf.square(model.forward(ids, mask, specs).lastHiddenState)) as tf.Scalar,
    );
    for (const g of Object.values(grads)) g.dataSync();
  });
}

const variants: [string, Partial<TrainingOps>][] = [
  ['engine ops', {}],
  ['plain-transpose linear', { linear: plainLayoutOps.linear }],
  ['reverse rope', { applyRope: plainLayoutOps.applyRope }],
  ['stock linear', { linear: stockOps.linear }],
  ['stock rmsNorm', { rmsNorm: stockOps.rmsNorm }],
  ['stock rope', { applyRope: stockOps.applyRope }],
  ['stock swiglu', { swiglu: stockOps.swiglu }],
  ['stock attention', { attention: stockOps.attention }],
  ['all stock but embedding', stockOps],
];
const best = new Map<string, number>();
for (let round = 0; round < rounds; round++) {
  for (const [label, ops] of variants) {
    if (filter && !filter.some((f) => label.includes(f))) continue;
    const restore = replaceTrainingOps(ops);
    step(); // warm-up: kernels, caches
    const t0 = performance.now();
    step();
    best.set(label, Math.min(best.get(label) ?? Number.POSITIVE_INFINITY, performance.now() - t0));
    restore();
  }
}
const base = best.get('engine ops');
for (const [variant, ms] of best) {
  const line = {
    backend,
    batch,
    seq,
    variant,
    best_ms_per_step: Math.round(ms),
    tokens_per_s: Math.round((batch * seq * 1000) / ms),
  };
  console.log(JSON.stringify(base ? { ...line, vs_engine_ops: Number((ms / base).toFixed(2)) } : line));
}
