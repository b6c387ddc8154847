import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry, type PluginRegistry } from '@lookright/core';
import { selectBackend } from '@lookright/engine';
import { useWebgpuTestBackend } from '@lookright/engine/testing/webgpu';
import { normalizeCellConfig } from '../loop/cell-config.js';
import { RunFiles } from '../loop/run-files.js';
import { predictedLabels } from '../testing/predicted-labels.js';
import { runCell } from './run-cell.js';

/** Tolerances stated in docs/backends.md for a cell of many full fine-tuning steps (float32 rounding compounds). */
const LOSS_TOLERANCE = 1e-2;
const F1_TOLERANCE = 0.01;
const LABEL_TOLERANCE = 0.01;

/**
 * The quick start's mask:bidirectional cell (benchmarks/suites/quickstart.yaml: a 4-layer Llama made from a config on
 * the synthetic right-context task), with 320 training sentences and 2 epochs: 40 steps. Needs no data folder.
 */
function quickstartCell(output: string, backend: 'wasm' | 'webgpu') {
  return normalizeCellConfig(
    {
      name: `quickstart-bidirectional-${backend}`,
      backbone: {
        id: 'backbone:llama',
        params: {
          config: {
            hidden_size: 32,
            num_hidden_layers: 4,
            num_attention_heads: 4,
            intermediate_size: 64,
            max_position_embeddings: 64,
          },
        },
      },
      mask: { id: 'mask:bidirectional' },
      dataset: {
        id: 'dataset:synthetic',
        params: { task: 'right', distance: 2, length: 8, train: 320, dev: 100, test: 200, vocabSize: 60, names: 20 },
      },
      head: { id: 'head:linear' },
      seed: 1,
      output,
      checkpointEvery: null,
      recipe: {
        epochs: 2,
        batchSize: 16,
        gradientAccumulation: 1,
        learningRate: 3e-3,
        maxLength: 16,
        lora: false,
        backend,
      },
    },
    'webgpu quick-start test',
  );
}

describe('the synthetic quick-start cell on webgpu matches wasm', function () {
  this.timeout(10 * 60_000);
  let root: string;
  let registry: PluginRegistry;
  before(async function () {
    await useWebgpuTestBackend(this);
    root = mkdtempSync(join(tmpdir(), 'lookright-webgpu-quickstart-'));
    registry = await loadRegistry({ baseDir: process.cwd() });
  });
  after(async () => {
    if (root) rmSync(root, { recursive: true, force: true });
    await selectBackend('wasm'); // runCell left webgpu current; later specs expect wasm
  });

  it('trains end to end with the same F1 and predictions, and losses within the stated tolerance', async () => {
    const run = (backend: 'wasm' | 'webgpu') =>
      runCell(quickstartCell(join(root, backend), backend), { log: () => {}, registry });
    const wasm = await run('wasm');
    const gpu = await run('webgpu');
    assert.equal(gpu.backend.name, 'webgpu');
    assert.equal(gpu.steps, 40);
    const steps = (backend: string) => new RunFiles(join(root, backend)).readSteps();
    const [ours, ref] = [steps('webgpu'), steps('wasm')];
    assert.equal(ours.length, ref.length);
    for (const [i, s] of ours.entries())
      assert.ok(
        Math.abs(s.loss - ref[i].loss) <= LOSS_TOLERANCE * Math.abs(ref[i].loss),
        `step ${s.step}: loss ${s.loss} vs wasm ${ref[i].loss}`,
      );
    assert.ok(Math.abs(gpu.dev.f1 - wasm.dev.f1) <= F1_TOLERANCE, `dev F1 ${gpu.dev.f1} vs wasm ${wasm.dev.f1}`);
    assert.ok(Math.abs(gpu.test!.f1 - wasm.test!.f1) <= F1_TOLERANCE, `test F1 ${gpu.test!.f1} vs ${wasm.test!.f1}`);
    const labels = (backend: string) => predictedLabels(new RunFiles(join(root, backend)).predictions('test'));
    const [gpuLabels, wasmLabels] = [labels('webgpu'), labels('wasm')];
    const differing = gpuLabels.filter((label, i) => label !== wasmLabels[i]).length;
    assert.ok(differing <= LABEL_TOLERANCE * wasmLabels.length, `${differing} of ${wasmLabels.length} labels differ`);
  });
});
