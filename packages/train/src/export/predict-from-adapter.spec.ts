import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry } from '@lookright/core';
import { dataPath } from '@lookright/test-support/fixtures';
import { runCell } from '../cell/run-cell.js';
import { normalizeCellConfig } from '../loop/cell-config.js';
import { predictFromAdapter } from './predict-from-adapter.js';

describe('predictFromAdapter on an encoder cell (BERT + LoRA q,v, head under `classifier`)', function () {
  this.timeout(10 * 60_000);
  let root: string;
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('predicts the test split from output/peft exactly as the cell did; a full fine-tuning cell writes no peft/', async function () {
    const modelDir = dataPath(this, 'tiny_checkpoints', 'lmbuddy_bert_tiniest');
    const dataDir = dataPath(this, 'conll2003');
    const registry = await loadRegistry({ baseDir: process.cwd() });
    root = mkdtempSync(join(tmpdir(), 'lookright-bert-export-'));
    const cell = (output: string, lora: unknown) =>
      normalizeCellConfig(
        {
          backbone: { id: 'backbone:bert', params: { model: modelDir } },
          mask: 'mask:bidirectional',
          dataset: { id: 'dataset:conll2003', params: { path: dataDir } },
          head: 'head:crf',
          seed: 5,
          output,
          recipe: {
            epochs: 1,
            learningRate: 1e-2,
            batchSize: 16,
            maxLength: 64,
            lora,
            trainLimit: 48,
            devLimit: 16,
            testLimit: 32,
            backend: 'wasm',
          },
        },
        'test',
      );
    const quiet = { registry, log: () => {} };
    const output = join(root, 'lora');
    await runCell(cell(output, { r: 4, alpha: 16, dropout: 0.1, targets: ['q', 'v'] }), quiet);
    const adapter = JSON.parse(readFileSync(join(output, 'peft', 'adapter_config.json'), 'utf8'));
    assert.deepEqual(adapter.modules_to_save, ['classifier']);
    assert.deepEqual(adapter.target_modules, ['query', 'value']);
    const out = join(root, 'predicted.conll');
    await predictFromAdapter(join(output, 'peft'), { split: 'test', out, registry, log: () => {} });
    assert.ok(readFileSync(out).equals(readFileSync(join(output, 'predictions.test.conll'))));

    const full = join(root, 'full');
    await runCell(cell(full, false), quiet);
    assert.ok(existsSync(join(full, 'predictions.test.conll')));
    assert.equal(existsSync(join(full, 'peft')), false);
  });
});
