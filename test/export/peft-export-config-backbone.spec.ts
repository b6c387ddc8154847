import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore } from '../../packages/harness/src/store/run-store.js';
import { predictFromAdapter } from '../../packages/train/src/export/predict-from-adapter.js';
import { runCli } from '../support/run-cli.js';

/**
 * A LoRA cell whose backbone is made from a config has no checkpoint to point at: its export carries the base model
 * (config.json, seeded weights, word-level tokenizer) in base-model/, so predicting from the export needs nothing else.
 */
describe('lookright export → predict with a backbone made from a config (base model in the export)', function () {
  this.timeout(600_000);
  const temporary: string[] = [];
  after(() => {
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  });

  it('exports base-model/ with the adapter and reproduces the cell’s test predictions byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookright-export-config-'));
    temporary.push(dir);
    const suiteFile = join(dir, 'suite.yaml');
    writeFileSync(
      suiteFile,
      `name: export-config
recipe: {epochs: 2, batchSize: 16, gradientAccumulation: 1, maxLength: 16, learningRate: 0.01, lora: {r: 2, alpha: 4, dropout: 0.1, targets: [q, v]}}
axes:
  backbone:
    - id: backbone:llama
      params: {config: {hidden_size: 16, num_hidden_layers: 2, num_attention_heads: 2, intermediate_size: 32, max_position_embeddings: 32}}
  mask: ["01"]
  head: [head:linear]
  dataset: [{id: dataset:synthetic, params: {task: right, distance: 2, length: 8, train: 64, dev: 32, test: 48, vocabSize: 30, names: 8, seed: 1}}]
  seed: [3]
`,
    );
    const storeDir = join(dir, 'runs');
    const run = runCli(['run', suiteFile, '--store', storeDir, '--workers', '1'], { timeoutMs: 300_000 });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);

    const store = RunStore.open(storeDir);
    const [cell] = store.queries.suiteCells('export-config');
    store.close();
    assert.equal(cell.status, 'FINISHED');
    const predictions = cell.artifacts.find((a) => a.name === 'predictions.test');
    assert.ok(predictions, 'the cell recorded its test predictions');
    for (const name of ['peft.base_model.config', 'peft.base_model.weights', 'peft.base_model.tokenizer'])
      assert.ok(
        cell.artifacts.some((a) => a.name === name),
        `artifact ${name} (so the store's sha256 covers the base model)`,
      );

    const out = join(dir, 'export');
    const exported = runCli(['export', cell.hash.slice(0, 10), '--store', storeDir, '--out', out]);
    assert.equal(exported.status, 0, `${exported.stdout}\n${exported.stderr}`);
    for (const file of ['config.json', 'model.safetensors', 'tokenizer.json'])
      assert.ok(existsSync(join(out, 'base-model', file)), `base-model/${file}`);
    const adapter = JSON.parse(readFileSync(join(out, 'adapter_config.json'), 'utf8'));
    assert.equal(adapter.base_model_name_or_path, 'base-model');
    const card = readFileSync(join(out, 'README.md'), 'utf8');
    assert.match(card, /base model is included/i);
    assert.match(card, /random/i);

    // the export stands alone: the training run's folders are gone when it predicts
    const expected = readFileSync(predictions.path);
    rmSync(storeDir, { recursive: true, force: true });
    const predicted = join(dir, 'predicted.conll');
    const predict = runCli(['predict', '--adapter', out, '--out', predicted], { timeoutMs: 300_000 });
    assert.equal(predict.status, 0, `${predict.stdout}\n${predict.stderr}`);
    const ours = readFileSync(predicted);
    const predictedLabels = new Set(
      expected
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => line.split(' ')[2]),
    );
    assert.ok(predictedLabels.size > 1, 'the cell predicts more than one label, so equal files say something');
    assert.ok(ours.equals(expected), 'predictions from the export equal the cell’s, byte for byte');

    // an export without its base model is refused with typed errors naming the file and key
    const options = { split: 'test' as const, out: join(dir, 'refused.conll'), log: () => {} };
    const tokenizer = join(out, 'base-model', 'tokenizer.json');
    renameSync(tokenizer, `${tokenizer}.moved`);
    await assert.rejects(
      predictFromAdapter(out, options),
      (e: Error & { code?: string }) =>
        e.code === 'TRAIN_EXPORT_INVALID' && e.message.startsWith(`${tokenizer}: /: file not found`),
    );
    renameSync(`${tokenizer}.moved`, tokenizer);
    const manifestFile = join(out, 'lookright.json');
    const { includedBaseModel, ...withoutBaseModel } = JSON.parse(readFileSync(manifestFile, 'utf8'));
    assert.deepEqual(includedBaseModel, { folder: 'base-model', origin: 'config' });
    writeFileSync(manifestFile, JSON.stringify(withoutBaseModel));
    await assert.rejects(predictFromAdapter(out, options), {
      code: 'TRAIN_EXPORT_INVALID',
      message: /lookright\.json: includedBaseModel: missing: the backbone \(backbone:llama\) is made from a config/,
    });
    assert.equal(existsSync(options.out), false);
  });
});
