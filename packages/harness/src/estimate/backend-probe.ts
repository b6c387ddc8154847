/**
 * Child-process entry: `node --import tsx backend-probe.ts [backend]` selects the backend the trainer would use and
 * prints one JSON line `{backend, gflops}`: the float32 2-D matMul rate (512×512 by 512×512) over ~1.5 s.
 */
import { type BackendName, selectBackend } from '@lookright/engine';
import * as tf from '@tensorflow/tfjs-core';

const backend = await selectBackend((process.argv[2] ?? 'auto') as BackendName);
const n = 512;
const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
/** One product, read back asynchronously (webgpu has no synchronous read in Node) and disposed. */
const product = async () => {
  const c = tf.matMul(a, b);
  await c.data();
  c.dispose();
};
await product();
let reps = 0;
const started = performance.now();
while (performance.now() - started < 1500) {
  await product();
  reps++;
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ backend: backend.name, gflops: (2 * n ** 3 * reps) / seconds / 1e9 })}\n`);
