import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry, type PluginRegistry } from '@lookright/core';
import { loadWordTokenizer } from '@lookright/text';
import { runCell } from '../cell/run-cell.js';
import { normalizeCellConfig, type TrainCellConfig } from './cell-config.js';

/** A cell on the synthetic right-context task with a backbone made from `config` (no checkpoint, no data folder). */
function configCell(
  backbone: 'backbone:llama' | 'backbone:bert',
  config: Record<string, unknown>,
  mask: { id: string; params?: Record<string, unknown> },
  output: string,
  seed: number,
  recipe: Record<string, unknown> = {},
): TrainCellConfig {
  return normalizeCellConfig(
    {
      name: `${backbone}-from-config`,
      backbone: { id: backbone, params: { config } },
      mask,
      dataset: { id: 'dataset:synthetic', params: { train: 48, dev: 16, test: 16, length: 6, vocabSize: 30 } },
      head: { id: 'head:linear' },
      seed,
      output,
      checkpointEvery: null,
      recipe: {
        epochs: 1,
        learningRate: 3e-3,
        batchSize: 16,
        gradientAccumulation: 1,
        maxLength: 16,
        lora: false,
        backend: 'wasm',
        ...recipe,
      },
    },
    'model-from-config test',
  );
}

const lastOne = { id: 'mask:last-k', params: { k: 1 } };
const small = { hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 32 };

describe('runCell with a backbone made from a config', function () {
  this.timeout(5 * 60_000);
  let root: string;
  let registry: PluginRegistry;
  before(async () => {
    registry = await loadRegistry({ baseDir: process.cwd() });
    root = mkdtempSync(join(tmpdir(), 'lookright-config-model-'));
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });
  const run = (cell: TrainCellConfig, lines: string[] = []) => runCell(cell, { registry, log: (l) => lines.push(l) });

  it('writes a Llama folder (GQA, seeded weights, word-level tokenizer of the training words) and trains through LoRA and the audit', async () => {
    const lines: string[] = [];
    const gqa = { ...small, num_key_value_heads: 2 };
    const lora = { lora: { r: 2, alpha: 4, dropout: 0, targets: ['q', 'v'] } };
    const result = await run(configCell('backbone:llama', gqa, lastOne, join(root, 'a'), 1, lora), lines);
    assert.equal(result.maskSpecs, '01');
    assert.equal(result.steps, 3);
    assert.ok(result.test && Number.isFinite(result.test.f1));
    const model = join(root, 'a', 'model');
    const config = JSON.parse(readFileSync(join(model, 'config.json'), 'utf8'));
    assert.deepEqual([config.hidden_size, config.num_key_value_heads], [16, 2]);
    const vocab = JSON.parse(readFileSync(join(model, 'tokenizer.json'), 'utf8')).model.vocab;
    assert.equal(config.vocab_size, Object.keys(vocab).length, 'one embedding row per tokenizer id');
    assert.ok(config.vocab_size <= 30 + 2, 'the training words (at most vocabSize) plus [PAD] and [UNK]');
    const tokenizer = loadWordTokenizer(model);
    const ids = tokenizer.encodeWords(['Corp', 'said', 'never-seen']);
    assert.deepEqual(
      ids.map((word) => word.map((id) => tokenizer.token(id))),
      [['Corp'], ['said'], ['[UNK]']],
    );
    assert.match(lines.join('\n'), /^1\s+bidirectional\s+bidirectional\s+ok$/m, 'the audit saw layer 1 open');

    await run(configCell('backbone:llama', gqa, lastOne, join(root, 'b'), 1, lora));
    await run(configCell('backbone:llama', gqa, lastOne, join(root, 'c'), 2, lora));
    const weights = (dir: string) => readFileSync(join(root, dir, 'model', 'model.safetensors'));
    assert.ok(weights('a').equals(weights('b')), 'same seed, same initial weights');
    assert.ok(!weights('a').equals(weights('c')), 'another seed, other initial weights');
    assert.deepEqual(
      JSON.parse(readFileSync(join(root, 'b', 'metrics.json'), 'utf8')).test,
      JSON.parse(readFileSync(join(root, 'a', 'metrics.json'), 'utf8')).test,
    );
  });

  it('writes and fine-tunes a BERT made from a config (bidirectional only)', async () => {
    const result = await run(configCell('backbone:bert', small, { id: 'mask:bidirectional' }, join(root, 'bert'), 1));
    assert.equal(result.maskSpecs, '11');
    assert.ok(result.test && Number.isFinite(result.test.f1));
    const config = JSON.parse(readFileSync(join(root, 'bert', 'model', 'config.json'), 'utf8'));
    assert.equal(config.model_type, 'bert');
  });

  it('refuses an impossible config before any data is generated, naming the key and what fits', async () => {
    await assert.rejects(
      run(
        configCell('backbone:llama', { ...small, num_attention_heads: 3 }, { id: 'mask:causal' }, join(root, 'bad'), 1),
      ),
      (e: Error & { code?: string }) =>
        e.code === 'MODEL_CONFIG_SIZES' && /num_attention_heads 3 does not divide hidden_size 16/.test(e.message),
    );
  });

  it('takes a checkpoint or a config as backbone params, exactly one of the two', async () => {
    const cell = configCell('backbone:llama', small, { id: 'mask:causal' }, join(root, 'both'), 1);
    for (const params of [{ ...cell.backbone.params, model: 'org/name' }, {}])
      await assert.rejects(
        run({ ...cell, backbone: { id: 'backbone:llama', params } }),
        (e: Error & { code?: string }) => e.code === 'TRAIN_CELL_INVALID' && /backbone:llama/.test(e.message),
      );
  });
});
