import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry, type PluginRegistry } from '@lookright/core';
import { dataPath } from '@lookright/test-support/fixtures';
import { normalizeCellConfig, type TrainCellConfig } from '../loop/cell-config.js';
import { runCell } from './run-cell.js';

/** A backbone:bert cell on a small CoNLL-2003 NER subset: LoRA on q, v as the paper's recipe, tiny limits. */
function bertCell(
  modelDir: string,
  dataDir: string,
  output: string,
  mask: string,
  recipe: Record<string, unknown> = {},
): TrainCellConfig {
  return normalizeCellConfig(
    {
      name: `bert-tiniest-${mask}`,
      backbone: { id: 'backbone:bert', params: { model: modelDir } },
      mask: { id: mask },
      dataset: { id: 'dataset:conll2003', params: { path: dataDir } },
      head: { id: 'head:linear' },
      seed: 3,
      output,
      checkpointEvery: null,
      recipe: {
        epochs: 1,
        learningRate: 1e-3,
        batchSize: 16,
        gradientAccumulation: 1,
        maxLength: 64,
        lora: { r: 4, alpha: 16, dropout: 0.1, targets: ['q', 'v'] },
        trainLimit: 48,
        devLimit: 16,
        testLimit: 16,
        backend: 'wasm',
        ...recipe,
      },
    },
    'encoder integration test',
  );
}

describe('runCell with backbone:bert (lmbuddy_bert_tiniest + LoRA q,v on CoNLL-2003)', function () {
  this.timeout(10 * 60_000);
  let root: string;
  let registry: PluginRegistry;
  let modelDir: string;
  let dataDir: string;
  before(async function () {
    modelDir = dataPath(this, 'tiny_checkpoints', 'lmbuddy_bert_tiniest');
    dataDir = dataPath(this, 'conll2003');
    registry = await loadRegistry({ baseDir: process.cwd() });
    root = mkdtempSync(join(tmpdir(), 'lookright-bert-cell-'));
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('fine-tunes and evaluates an encoder cell through the same loop as the decoders, audit enforced', async () => {
    const lines: string[] = [];
    const result = await runCell(bertCell(modelDir, dataDir, join(root, 'bi'), 'mask:bidirectional'), {
      registry,
      log: (l) => lines.push(l),
    });
    assert.equal(result.maskSpecs, '1');
    assert.equal(result.steps, 3, '48 sentences in batches of 16, one epoch');
    assert.ok(Number.isFinite(result.dev.f1) && result.dev.f1 >= 0 && result.dev.f1 <= 1);
    assert.ok(result.test && Number.isFinite(result.test.f1));
    const log = lines.join('\n');
    assert.match(log, /^0\s+bidirectional\s+bidirectional\s+ok$/m, 'the audit observed layer 0 bidirectional');
    assert.match(log, /^ok: 1 layers audited/m);
    assert.match(log, /not loading 5 task-head tensor\(s\) outside bert\./);
  });

  it('fine-tunes every weight when the recipe has lora: false (the paper-grid override for encoder baselines)', async () => {
    const result = await runCell(
      bertCell(modelDir, dataDir, join(root, 'full'), 'mask:bidirectional', { lora: false, learningRate: 2e-5 }),
      { registry, log: () => {} },
    );
    assert.equal(result.steps, 3);
    assert.ok(Number.isFinite(result.dev.f1));
  });

  it('refuses a causal mask on the encoder before loading data, with the reason', async () => {
    await assert.rejects(
      runCell(bertCell(modelDir, dataDir, join(root, 'causal'), 'mask:causal'), {
        registry,
        log: () => {},
      }),
      (e: Error & { code?: string }) =>
        e.code === 'TRAIN_MASK_NOT_APPLICABLE' && /an encoder's attention is always bidirectional/.test(e.message),
    );
  });
});
