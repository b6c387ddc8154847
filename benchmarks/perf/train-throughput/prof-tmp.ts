import '@tensorflow/tfjs';
import { selectBackend } from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';
import { benchModels, decoderConfig } from './bench-config.js';
import { makeTrainSetup } from './train-step.js';

await selectBackend('wasm');
const setup = makeTrainSetup(decoderConfig(benchModels.reference), 'full', false);
for (let i = 0; i < 3; i++) setup.step();
const agg = new Map<string, { ms: number; n: number }>();
const t0 = performance.now();
const info = await tf.profile(() => {
  setup.step();
});
const wall = performance.now() - t0;
let total = 0;
for (const k of info.kernels) {
  const ms = Number(k.kernelTimeMs);
  total += ms;
  const key = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join('x')}`;
  const e = agg.get(key) ?? { ms: 0, n: 0 };
  e.ms += ms;
  e.n++;
  agg.set(key, e);
}
const byName = new Map<string, number>();
for (const k of info.kernels) byName.set(k.name, (byName.get(k.name) ?? 0) + Number(k.kernelTimeMs));
console.log('wall', wall.toFixed(0), 'kernel total', total.toFixed(0));
console.log(
  [...byName]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join('\n'),
);
console.log('---');
console.log(
  [...agg]
    .sort((a, b) => b[1].ms - a[1].ms)
    .slice(0, 30)
    .map(([k, v]) => `${v.ms.toFixed(1)}\t${v.n}\t${k}`)
    .join('\n'),
);
