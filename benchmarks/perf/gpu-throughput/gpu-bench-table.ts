import type { GpuBenchReport } from './gpu-bench.js';

const pct = (f: number | null) => (f === null ? 'n/a' : `${(f * 100).toFixed(1)}%`);

/** The report as a Markdown table (for benchmarks/gpu/README.md), with the peak's source below it. */
export function formatGpuBenchTable(report: GpuBenchReport): string {
  const a = report.adapter;
  const lines = [
    `adapter: ${a.kind}, ${a.vendor} ${a.device || a.description} (dawn ${a.dawnBackend})`,
    `best plain f32 GEMM this run: ${report.bestGemmTflops.toPrecision(3)} TFLOP/s (${report.gemm
      .map((g) => `${g.shape.join('x')} ${g.tflops.toPrecision(3)}`)
      .join(', ')})`,
    '',
    '| config | batch x seq | weights | ms/step | tokens/s | TFLOP/s | of f32 peak | of best GEMM | peak GPU MiB | dispatches/step | uploads/step |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...report.rows.map(
      (r) =>
        `| ${r.config} | ${r.batch} x ${r.seq} | ${r.weights} | ${r.msPerStep.toFixed(1)} | ${Math.round(r.tokensPerSecond)} | ` +
        `${r.tflops.toPrecision(3)} | ${pct(r.fractionOfPeak)} | ${pct(r.fractionOfGemm)} | ` +
        `${(r.peakGpuBytes / 2 ** 20).toFixed(1)} | ${Math.round(r.dispatchesPerStep)} | ${Math.round(r.uploadsPerStep)} |`,
    ),
    '',
    report.peak
      ? `f32 peak: ${report.peak.tflops} TFLOP/s, ${report.peak.name} (${report.peak.source})`
      : 'f32 peak: n/a (this device is not in benchmarks/perf/gpu-throughput/gpu-peaks.ts)',
  ];
  return lines.join('\n');
}
