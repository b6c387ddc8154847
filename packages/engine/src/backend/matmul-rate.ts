import * as tf from '@tensorflow/tfjs-core';

/**
 * The float32 2-D matMul rate of the current backend in GFLOP/s: an n×n by n×n product (seeded inputs), one warm-up,
 * then as many products as fit in `budgetMs`, each read back asynchronously (webgpu has no synchronous read in
 * Node) and disposed. The harness's estimator calibrates with it in a child process.
 */
export async function measureMatMulGflops(n = 512, budgetMs = 1500): Promise<number> {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  const product = async () => {
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
  };
  try {
    await product();
    let reps = 0;
    const started = performance.now();
    while (performance.now() - started < budgetMs) {
      await product();
      reps++;
    }
    const seconds = (performance.now() - started) / 1000;
    return (2 * n ** 3 * reps) / seconds / 1e9;
  } finally {
    a.dispose();
    b.dispose();
  }
}
