/**
 * The MLM pre-training step of the tiny BERT against the CLM step of the equal-size Llama (pre-training's own
 * `maskedEncoder` / `causalDecoder`, loss + gradients, native kernels on wasm): interleaved step times (median) and,
 * with --profile, wall time per tfjs kernel of the encoder step. Usage:
 *   node --import tsx benchmarks/perf/train-throughput/profile-mlm-step.ts [--steps 10] [--profile]
 */
import '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SeededRng } from '@lookright/core';
import { replaceTrainingOps, selectBackend } from '@lookright/engine';
import { enableNative, nativeTrainingOps } from '@lookright/native';
import * as tf from '@tensorflow/tfjs-core';
import { architectureSizes } from '../../../packages/train/src/pretrain/architecture.js';
import {
  causalDecoder,
  maskedEncoder,
  type ObjectiveModel,
} from '../../../packages/train/src/pretrain/objective-model.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { steps: { type: 'string', default: '10' }, profile: { type: 'boolean', default: false } },
  });
  await selectBackend('wasm');
  if (!enableNative().enabled) throw new Error('the native addon did not load');
  replaceTrainingOps(nativeTrainingOps());
  const size = { ...architectureSizes.tiny };
  const tokens = { eos: 1020, pad: 1021, mask: 1022, regularVocab: 1020 };
  const dir = mkdtempSync(join(tmpdir(), 'mlm-step-'));
  const enc = await maskedEncoder(join(dir, 'enc'), size, tokens, {}, new SeededRng(1));
  const dec = await causalDecoder(join(dir, 'dec'), size, tokens, {}, new SeededRng(1));
  const data = new SeededRng(2);
  const windows = (len: number) =>
    Array.from({ length: 16 }, () => Array.from({ length: len }, () => data.nextInt(1020)));
  const step = (m: ObjectiveModel, len: number) => {
    const w = windows(len);
    const t0 = performance.now();
    const { value, grads } = tf.variableGrads(() => m.loss(w, new SeededRng(3), 7), m.variables());
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
    return performance.now() - t0;
  };
  for (let i = 0; i < 2; i++) {
    step(enc, 64);
    step(dec, 65);
  }
  const encMs: number[] = [];
  const decMs: number[] = [];
  for (let i = 0; i < Number(values.steps); i++) {
    encMs.push(step(enc, 64));
    decMs.push(step(dec, 65));
  }
  const e = median(encMs);
  const d = median(decMs);
  process.stdout.write(`${JSON.stringify({ encoder_ms: e, decoder_ms: d, encoder_over_decoder: e / d })}\n`);
  if (values.profile) {
    const perKernel = new Map<string, { ms: number; calls: number }>();
    const w = windows(64);
    const info = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => enc.loss(w, new SeededRng(3), 7), enc.variables());
      tf.dispose([value, ...Object.values(grads)]);
    });
    for (const k of info.kernels) {
      const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
      const rec = perKernel.get(key) ?? { ms: 0, calls: 0 };
      rec.ms += Number(k.kernelTimeMs) || 0;
      rec.calls += 1;
      perKernel.set(key, rec);
    }
    const rows = [...perKernel.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40);
    for (const [name, r] of rows) process.stdout.write(`${r.ms.toFixed(2).padStart(8)} ms ${r.calls}  ${name}\n`);
  }
  enc.dispose();
  dec.dispose();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
