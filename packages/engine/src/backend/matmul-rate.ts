import * as tf from '@tensorflow/tfjs-core';

/**
 * The float32 2-D matMul rate of the current backend in GFLOP/s: an n×n by n×n product (seeded inputs), one warm-up,
 * then as many products as fit in `budgetMs`. The harness's estimator calibrates with it in a child process.
 */
export function measureMatMulGflops(n = 512, budgetMs = 1500): number {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
  try {
    tf.tidy(() => tf.matMul(a, b)).dataSync();
    let reps = 0;
    const started = performance.now();
    while (performance.now() - started < budgetMs) {
      tf.tidy(() => tf.matMul(a, b)).dataSync();
      reps++;
    }
    const seconds = (performance.now() - started) / 1000;
    return (2 * n ** 3 * reps) / seconds / 1e9;
  } finally {
    a.dispose();
    b.dispose();
  }
}
