import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LookrightError, loadRegistry, type PluginRegistry } from '@lookright/core';
import { defaultPoolBytes, selectBackend, setWebgpuPoolBytes } from '@lookright/engine';
import { useWebgpuTestBackend } from '@lookright/engine/testing/webgpu';
import { dataPath } from '@lookright/test-support/fixtures';
import * as tf from '@tensorflow/tfjs-core';
import { RunFiles } from '../loop/run-files.js';
import { conllCell } from '../testing/conll-cell.js';
import { type CellRunResult, runCell } from './run-cell.js';

/**
 * Relative per-step loss difference allowed between bf16 and f32 frozen weights: measured 1.2e-4 and 1.5e-4 on the
 * software adapter (stories260K, 2 steps); bf16's per-weight roundoff is 2^-8 = 3.9e-3, and the bound sits between.
 */
const BF16_LOSS_TOLERANCE = 2e-3;
/**
 * The same for NF4 weights: measured 9.1e-3 and 4.5e-3 (same cell); NF4 moves a weight by several percent of its
 * block's absmax, tens of times bf16's roundoff, and the losses moved about 60 times as much. Deterministic numbers;
 * the bound is about 5 times the worst.
 */
const NF4_LOSS_TOLERANCE = 5e-2;
/** The pool cap the f32 run trains under (the default is 512 MiB). */
const POOL_BYTES = 8 * 2 ** 20;

describe('the GPU memory plan and 16-bit frozen weights of a cell on webgpu', function () {
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

  it('trains with frozen weights in bf16 and nf4: the plan counts them, losses stay near f32, fewer live bytes; a small pool cap holds', async () => {
    const small = { backend: 'webgpu', trainLimit: 32, devLimit: 16, testLimit: 16, logEvery: 1 } as const;
    const train = async (weightStorage: 'f32' | 'bf16' | 'nf4') => {
      const lines: string[] = [];
      const bytes: number[] = [];
      const pooled: number[] = [];
      const output = join(root, weightStorage);
      const config = conllCell({ modelDir, dataDir, output, mask: 'mask:causal', recipe: { ...small, weightStorage } });
      const before = tf.memory().numBytes; // what earlier runs left behind is not this run's
      const onStep = () => {
        bytes.push(tf.memory().numBytes - before);
        const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU: number; numBytesAllocatedInGPU: number };
        pooled.push(m.numBytesAllocatedInGPU - m.numBytesInGPU);
      };
      const result: CellRunResult = await runCell(config, { log: (l) => lines.push(l), registry, onStep });
      return { result, lines, bytes, pooled, steps: new RunFiles(output).readSteps() };
    };
    setWebgpuPoolBytes(POOL_BYTES);
    const f32 = await train('f32').finally(() => setWebgpuPoolBytes(defaultPoolBytes()));
    const bf16 = await train('bf16');
    assert.ok(bf16.lines.some((l) => /gpu memory plan .*frozen weights bf16/.test(l)));
    assert.ok(bf16.lines.some((l) => /frozen base weights .* projection weights in bf16/.test(l)));
    assert.equal(bf16.steps.length, f32.steps.length);
    for (const [i, s] of bf16.steps.entries()) {
      const rel = Math.abs(s.loss - f32.steps[i].loss) / f32.steps[i].loss;
      assert.ok(rel <= BF16_LOSS_TOLERANCE, `step ${s.step}: loss ${s.loss} vs f32 ${f32.steps[i].loss} (${rel})`);
    }
    assert.ok(
      bf16.steps.some((s, i) => s.loss !== f32.steps[i].loss),
      '16-bit weights change the numbers',
    );
    // live tensor bytes at each step: the frozen projection weights take half
    assert.ok(Math.max(...bf16.bytes) < Math.max(...f32.bytes), `live bytes ${bf16.bytes} vs ${f32.bytes}`);
    // a small pool cap holds through training: freed GPU buffers beyond it are given back at every step
    assert.ok(f32.pooled.length > 0 && f32.pooled.every((p) => p <= POOL_BYTES), `pooled bytes ${f32.pooled}`);
    console.log(
      `      live bytes per step: bf16 ${bf16.bytes}, f32 ${f32.bytes}; losses bf16 ${bf16.steps.map((s) => s.loss)}, f32 ${f32.steps.map((s) => s.loss)}`,
    );
    // NF4 (LoRA attached to linears whose kernels are 4-bit codes): trains, in fewer live bytes than bf16
    const nf4 = await train('nf4');
    assert.ok(nf4.lines.some((l) => /frozen base weights .* projection weights in nf4/.test(l)));
    assert.equal(nf4.steps.length, f32.steps.length);
    for (const [i, s] of nf4.steps.entries()) {
      const rel = Math.abs(s.loss - f32.steps[i].loss) / f32.steps[i].loss;
      assert.ok(rel <= NF4_LOSS_TOLERANCE, `step ${s.step}: nf4 loss ${s.loss} vs f32 ${f32.steps[i].loss} (${rel})`);
    }
    assert.ok(Math.max(...nf4.bytes) < Math.max(...bf16.bytes), `live bytes ${nf4.bytes} vs bf16 ${bf16.bytes}`);
    console.log(`      nf4: live bytes per step ${nf4.bytes}; losses ${nf4.steps.map((s) => s.loss)}`);
  });
});
