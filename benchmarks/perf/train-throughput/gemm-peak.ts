/**
 * The machine's single-GEMM peak: float32 C = A·B of `--size`³ through the OpenBLAS that @lookright/native links, at
 * `--threads` BLAS threads (default 2), best of `--repeats` after one warm-up. Prints one JSON line
 * {gemm_peak_gflops, size, threads, blas}; `{gemm_peak_gflops: null, reason}` when the addon is not built.
 * Usage: node --import tsx gemm-peak.ts [--size 1536] [--threads 2] [--repeats 5]
 */
import { parseArgs } from 'node:util';
import { loadAddon } from '@lookright/native';

function main(): void {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '1536' },
      threads: { type: 'string', default: '2' },
      repeats: { type: 'string', default: '5' },
    },
  });
  const loaded = loadAddon();
  if (!loaded.ok) {
    process.stdout.write(`${JSON.stringify({ gemm_peak_gflops: null, reason: loaded.reason })}\n`);
    return;
  }
  const { addon } = loaded;
  const n = Number(values.size);
  const threads = Number(values.threads);
  addon.setBlasThreads(threads);
  const a = Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const b = Float32Array.from({ length: n * n }, (_, i) => ((i * 104729) % 1000) / 1000 - 0.5);
  const c = new Float32Array(n * n);
  const once = () => {
    const t0 = performance.now();
    addon.gemm(a, b, c, 1, 1, n, n, n, false, false);
    return performance.now() - t0;
  };
  once();
  const best = Math.min(...Array.from({ length: Number(values.repeats) }, once));
  const gflops = (2 * n ** 3) / (best / 1000) / 1e9;
  const line = { gemm_peak_gflops: Number(gflops.toFixed(1)), size: n, threads, blas: addon.blasInfo().config };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

main();
