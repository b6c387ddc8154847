import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry, type PluginRegistry } from '@lookright/core';
import { normalizeCellConfig, type TrainCellConfig } from '../loop/cell-config.js';
import { runCell } from './run-cell.js';

/** A 4-layer Llama made from a config, cut to its first `layers` layers (early exit). */
function earlyExitCell(output: string, layers: number, mask: { id: string; params?: Record<string, unknown> }) {
  return normalizeCellConfig(
    {
      backbone: {
        id: 'backbone:llama',
        params: {
          config: { hidden_size: 16, num_hidden_layers: 4, num_attention_heads: 4, intermediate_size: 32 },
          layers,
        },
      },
      mask,
      dataset: { id: 'dataset:synthetic', params: { train: 32, dev: 16, test: 16, length: 6, vocabSize: 30 } },
      head: { id: 'head:linear' },
      seed: 1,
      output,
      recipe: { epochs: 1, batchSize: 16, gradientAccumulation: 1, maxLength: 16, lora: false, backend: 'cpu' },
    },
    'early-exit test',
  ) as TrainCellConfig;
}

describe('early exit (backbone layers: N) in a training run', function () {
  this.timeout(5 * 60_000);
  let root: string;
  let registry: PluginRegistry;
  before(async () => {
    registry = await loadRegistry({ baseDir: process.cwd() });
    root = mkdtempSync(join(tmpdir(), 'lookright-early-exit-'));
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('trains on the first N layers, with masks and the audit over those N', async () => {
    const lines: string[] = [];
    const cell = earlyExitCell(join(root, 'a'), 2, { id: 'mask:last-k', params: { k: 1 } });
    const result = await runCell(cell, { registry, log: (l) => lines.push(l) });
    assert.equal(result.maskSpecs, '01', 'last-k:1 of 2 layers');
    assert.ok(result.test && Number.isFinite(result.test.f1));
    const log = lines.join('\n');
    assert.match(log, /^1\s+bidirectional\s+bidirectional\s+ok$/m, 'the audit saw layer 1 open');
    assert.doesNotMatch(log, /^[23]\s+(causal|bidirectional)/m, 'no layer beyond the second was audited');
  });

  it('validates mask strategies against N, not the full depth', async () => {
    const cell = earlyExitCell(join(root, 'b'), 2, { id: 'mask:groups', params: { pattern: '0101' } });
    await assert.rejects(
      runCell(cell, { registry, log: () => {} }),
      (e: Error & { code?: string }) => e.code === 'MASK_GROUPS_INDIVISIBLE' && /2 layers/.test(e.message),
    );
  });
});
