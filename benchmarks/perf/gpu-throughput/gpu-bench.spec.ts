import assert from 'node:assert/strict';
import { useWebgpuTestBackend } from '@lookright/engine/testing/webgpu';
import { type GpuBenchReport, runGpuBench } from './gpu-bench.js';
import { gpuBenchConfigs } from './gpu-bench-configs.js';
import { formatGpuBenchTable } from './gpu-bench-table.js';
import { publishedF32Peak } from './gpu-peaks.js';
import { trainingFlops } from './training-flops.js';

describe('bench:gpu', () => {
  it('counts the model FLOPs of a Mistral-7B layer step with LoRA r=64 on q,v at 16 x 128 as by hand', () => {
    const layer = gpuBenchConfigs().find((c) => c.name === 'mistral-7b-layer')!;
    assert.deepEqual(
      [
        layer.cfg.hiddenSize,
        layer.cfg.numHeads,
        layer.cfg.numKvHeads,
        layer.cfg.intermediateSize,
        layer.batch,
        layer.seq,
      ],
      [4096, 32, 8, 14336, 16, 128],
    );
    const flops = trainingFlops(layer.cfg, 16, 128, 9, { kind: 'lora', r: 64, targets: ['q_proj', 'v_proj'] });
    // projections 2x4096^2 + 2x4096x1024 + 3x4096x14336 = 218,103,808 weights; 4 x 2048 tokens each (fwd + dx)
    const projections = 4 * 2048 * 218_103_808;
    // attention: 12 x batch 16 x 32 heads x 128^2 x head dim 128
    const attention = 12 * 16 * 32 * 128 * 128 * 128;
    // LoRA fwd + dx + dW: 6 x 2048 x 64 x (4096 + 4096) for q, (4096 + 1024) for v; head 6 x 2048 x 4096 x 9
    const lora = 6 * 2048 * 64 * (8192 + 5120);
    const head = 6 * 2048 * 4096 * 9;
    assert.equal(flops, projections + attention + lora + head);
    assert.equal(flops, 1_810_513_264_640);
    const full = trainingFlops(layer.cfg, 16, 128, 9, { kind: 'full' });
    assert.equal(full, 6 * 2048 * 218_103_808 + attention + head, 'full training adds the weight gradients');
  });

  it("looks up the published f32 peak by the adapter's device name, n/a when unlisted", () => {
    assert.equal(publishedF32Peak('NVIDIA H200')?.tflops, 67);
    assert.equal(publishedF32Peak('NVIDIA H200 NVL')?.tflops, 60);
    assert.equal(publishedF32Peak('NVIDIA H100 80GB HBM3')?.tflops, 67);
    assert.equal(publishedF32Peak('NVIDIA H100 PCIe')?.tflops, 51);
    assert.equal(publishedF32Peak('NVIDIA A100-SXM4-80GB')?.tflops, 19.5);
    assert.match(publishedF32Peak('NVIDIA H200')!.source, /nvidia\.com/);
    assert.equal(publishedF32Peak('llvmpipe (LLVM 15.0.6, 256 bits)'), null);
  });

  describe('--smoke on the webgpu adapter (software in CI)', function () {
    this.timeout(5 * 60_000);
    let report: GpuBenchReport;
    before(async function () {
      await useWebgpuTestBackend(this);
      report = await runGpuBench({ smoke: true, steps: 2, warmup: 1, weights: 'bf16' });
    });

    it('measures every config: tokens/s, TFLOP/s against the best GEMM, peak GPU bytes, dispatches', () => {
      assert.deepEqual(
        report.rows.map((r) => r.config),
        ['reference', 'large', 'mistral-7b-layer'],
      );
      assert.ok(report.bestGemmTflops > 0 && report.gemm.length === 2);
      for (const r of report.rows) {
        assert.equal(r.weights, 'bf16');
        assert.ok(Math.abs(r.tokensPerSecond - (r.batch * r.seq * 1000) / r.msPerStep) < 1e-6 * r.tokensPerSecond);
        assert.ok(r.tflops > 0);
        assert.ok(Math.abs(r.fractionOfGemm - r.tflops / report.bestGemmTflops) < 1e-12);
        assert.equal(r.fractionOfPeak, report.peak ? r.tflops / report.peak.tflops : null);
        assert.ok(r.peakGpuBytes > 0, 'GPU buffers were sampled');
        assert.ok(Number.isInteger(r.dispatchesPerStep) && r.dispatchesPerStep > 50, `${r.dispatchesPerStep}`);
        assert.ok(r.uploadsPerStep > 0, 'scalar constants are still uploaded every step (dropout masks no longer are)');
        assert.ok(Number.isFinite(r.finalLoss) && r.finalLoss > 0);
      }
    });

    it('prints a Markdown table with one row per config and the peak (n/a on the software adapter)', () => {
      const table = formatGpuBenchTable(report);
      assert.equal(table.split('\n').filter((l) => /^\| (reference|large|mistral-7b-layer) \|/.test(l)).length, 3);
      if (report.adapter.kind === 'software') {
        assert.equal(report.peak, null);
        assert.match(table, /\| n\/a \|/);
      }
    });
  });
});
