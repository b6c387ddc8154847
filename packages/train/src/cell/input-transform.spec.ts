import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry, type PluginRegistry } from '@lookright/core';
import { readPredictionFile } from '@lookright/text';
import { normalizeCellConfig, type TrainCellConfig } from '../loop/cell-config.js';
import { runCell } from './run-cell.js';

const dataset = {
  id: 'dataset:synthetic',
  params: {
    task: 'right',
    distance: 1,
    length: 6,
    train: 400,
    dev: 60,
    test: 100,
    vocabSize: 30,
    names: 10,
    orgShare: 0.5,
    noise: 0,
    seed: 3,
  },
};

/** A 2-layer Llama made from a config, every layer causal, on the synthetic right-context task. */
function causalCell(output: string, input?: { id: string; params?: Record<string, unknown> }): TrainCellConfig {
  return normalizeCellConfig(
    {
      name: 'input-transform test',
      backbone: {
        id: 'backbone:llama',
        params: { config: { hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 32 } },
      },
      mask: { id: 'mask:causal' },
      dataset,
      head: { id: 'head:linear' },
      ...(input && { input }),
      seed: 1,
      output,
      checkpointEvery: null,
      recipe: {
        epochs: 4,
        learningRate: 1e-2,
        batchSize: 16,
        gradientAccumulation: 1,
        maxLength: 16,
        lora: false,
        backend: 'cpu',
      },
    },
    'input-transform test',
  );
}

describe('input:repeat in a training run', function () {
  this.timeout(10 * 60_000);
  let root: string;
  let registry: PluginRegistry;
  before(async () => {
    registry = await loadRegistry({ baseDir: process.cwd() });
    root = mkdtempSync(join(tmpdir(), 'lookright-input-'));
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('lets an all-causal model use right context a plain causal model cannot, predicting each word once', async () => {
    const lines: string[] = [];
    const run = (cell: TrainCellConfig) => runCell(cell, { registry, log: (l) => lines.push(l) });
    const plain = await run(causalCell(join(root, 'plain')));
    const repeated = await run(causalCell(join(root, 'repeat'), { id: 'input:repeat', params: { r: 2 } }));
    assert.equal(plain.maskSpecs, '00');
    assert.equal(repeated.maskSpecs, '00', 'every layer causal in both runs');
    assert.equal(plain.inputLabel, 'identity');
    assert.equal(repeated.inputLabel, 'repeat:r2');
    assert.ok(plain.test && repeated.test);
    // the type is decided one word to the right: causal alone can only guess it (expected F1 0.5)
    assert.ok(plain.test.f1 < 0.7, `plain causal test F1 ${plain.test.f1} should stay near 0.5`);
    assert.ok(repeated.test.f1 > 0.9, `repeat r=2 test F1 ${repeated.test.f1} should be near 1`);
    assert.ok(repeated.trainTokens > 1.5 * plain.trainTokens, 'the model saw the repeated sequence');
    assert.match(lines.join('\n'), /input repeat:r2: maxLength 16 bounds the expanded sequence/);
    assert.match(lines.join('\n'), /^input audit: ok$/m, 'the input audit ran before training');

    const corpus = await registry.create('dataset', dataset, { baseDir: root, env: {}, log: () => {} });
    const gold = (await corpus.load()).splits.test ?? [];
    const predicted = readPredictionFile(join(root, 'repeat', 'predictions.test.conll')).sentences;
    assert.equal(predicted.length, gold.length, 'one predicted sentence per test sentence');
    predicted.forEach((sentence, i) => {
      assert.deepEqual(sentence.words, gold[i].words, `sentence ${i}: each word predicted exactly once, in order`);
      assert.equal(sentence.pred.length, gold[i].words.length);
    });
  });
});
