import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LookrightError, loadRegistry, type PluginRegistry } from '@lookright/core';
import { selectBackend } from '@lookright/engine';
import { useWebgpuTestBackend } from '@lookright/engine/testing/webgpu';
import { dataPath } from '@lookright/test-support/fixtures';
import { conllCell } from '../testing/conll-cell.js';
import { runCell } from './run-cell.js';

describe('the GPU memory plan of a cell on webgpu', function () {
  this.timeout(5 * 60_000);
  let root: string;
  let registry: PluginRegistry;
  let modelDir: string;
  let dataDir: string;

  before(async function () {
    modelDir = dataPath(this, 'tiny_checkpoints', 'stories260K_hf');
    dataDir = dataPath(this, 'conll2003');
    await useWebgpuTestBackend(this);
    root = mkdtempSync(join(tmpdir(), 'lookright-webgpu-plan-'));
    registry = await loadRegistry();
  });
  after(async () => {
    if (root) rmSync(root, { recursive: true, force: true });
    await selectBackend('wasm');
  });

  it('is printed before loading and refuses a run over the device memory, with the numbers', async () => {
    const lines: string[] = [];
    const output = join(root, 'refused');
    const config = conllCell({ modelDir, dataDir, output, mask: 'mask:causal', recipe: { backend: 'webgpu' } });
    await assert.rejects(
      runCell(config, {
        log: (l) => lines.push(l),
        registry,
        env: { ...process.env, LOOKRIGHT_GPU_MEMORY_MIB: '1' },
      }),
      (e: unknown) =>
        e instanceof LookrightError &&
        e.code === 'GPU_MEMORY_PLAN_TOO_LARGE' &&
        /exceeds the device memory 0\.00 GiB \(LOOKRIGHT_GPU_MEMORY_MIB\)/.test(e.message),
    );
    const text = lines.join('\n');
    assert.match(text, /gpu memory plan \(estimate; batch 16 x 64 tokens, frozen weights f32\)/);
    assert.match(text, /LoRA and head \(f32\)/);
    assert.match(text, /device memory +0\.00 GiB +LOOKRIGHT_GPU_MEMORY_MIB/);
    assert.match(text, /does not fit/);
    assert.ok(!lines.some((l) => /mask audit|epoch/.test(l)), 'refused before the model was loaded and audited');
    assert.ok(!existsSync(join(output, 'metrics.json')));
  });
});
