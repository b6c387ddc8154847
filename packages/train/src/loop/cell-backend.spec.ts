import assert from 'node:assert/strict';
import { tfjsTrainingOps, trainingOps, webgpuTrainingOps } from '@lookright/engine';
import { onWebgpuTestBackend } from '@lookright/engine/testing/webgpu';
import { withCellNumerics } from './cell-backend.js';

describe('withCellNumerics on webgpu', function () {
  this.timeout(120_000);
  onWebgpuTestBackend();

  it("routes RMSNorm, SwiGLU, RoPE, dropout and the masked softmax (attention) through the fused WGSL kernels for the cell, and restores the engine's ops after", async () => {
    const fused = webgpuTrainingOps();
    const seen = await withCellNumerics(
      { backend: 'webgpu' },
      () => {},
      async ({ backend }) => {
        assert.equal(backend.name, 'webgpu');
        return { ...trainingOps() };
      },
    );
    for (const name of ['rmsNorm', 'swiglu', 'applyRope', 'dropout', 'maskedSoftmax', 'attention'] as const) {
      assert.equal(seen[name], fused[name], `${name} inside the cell`);
      assert.equal(trainingOps()[name], tfjsTrainingOps[name], `${name} after the cell`);
    }
    assert.equal(seen.linear, tfjsTrainingOps.linear, 'ops without a fused kernel stay tfjs');
  });
});
