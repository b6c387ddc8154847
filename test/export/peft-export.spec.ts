import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSafetensors } from '../../packages/engine/src/io/safetensors-write.js';
import { RunStore } from '../../packages/harness/src/store/run-store.js';
import { dataPath } from '../support/fixtures.js';
import { runCli } from '../support/run-cli.js';

/** Train two tiny LoRA cells (linear and CRF head) with `lookright run`, export it, predict from the export: same predictions file. */
describe('lookright export → predict (PEFT adapter round trip)', function () {
  this.timeout(900_000);
  const temporary: string[] = [];
  after(() => {
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  });

  it('reloads the exported adapter and head (linear, CRF) and reproduces each cell’s test predictions byte for byte', async function () {
    const model = dataPath(this, 'tiny_checkpoints', 'stories260K_hf');
    dataPath(this, 'conll2003', 'eng.train');
    const dir = mkdtempSync(join(tmpdir(), 'lookright-export-e2e-'));
    temporary.push(dir);
    const suiteFile = join(dir, 'suite.yaml');
    writeFileSync(
      suiteFile,
      `name: export-e2e
recipe: {epochs: 1, maxSteps: 3, batchSize: 8, gradientAccumulation: 1, maxLength: 32, trainLimit: 24, devLimit: 16, testLimit: 24, learningRate: 0.01, lora: {r: 4, alpha: 8, dropout: 0.1, targets: [q, v]}}
axes:
  backbone: [{id: backbone:llama, params: {model: ${JSON.stringify(model)}}}]
  mask: ["00111"]
  head: [head:linear, head:crf]
  dataset: [{id: dataset:conll2003, params: {task: ner}}]
  seed: [2]
`,
    );
    const inputs = join(dir, 'inputs.safetensors');
    writeSafetensors(
      inputs,
      new Map([
        ['input_ids', { shape: [1, 6], data: Int32Array.from([1, 50, 60, 70, 80, 2]) }],
        ['attention_mask', { shape: [1, 6], data: Int32Array.from([1, 1, 1, 1, 1, 1]) }],
      ]),
    );
    const storeDir = join(dir, 'runs');
    const run = runCli(['run', suiteFile, '--store', storeDir, '--workers', '1'], { timeoutMs: 600_000 });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);

    const store = RunStore.open(storeDir);
    const cells = store.queries.suiteCells('export-e2e');
    store.close();
    assert.equal(cells.length, 2);
    for (const cell of cells) {
      assert.equal(cell.status, 'FINISHED');
      const predictions = cell.artifacts.find((a) => a.name === 'predictions.test');
      assert.ok(predictions, 'the cell recorded its test predictions');
      for (const name of ['peft.adapter_config', 'peft.adapter_model', 'peft.lookright'])
        assert.ok(
          cell.artifacts.some((a) => a.name === name),
          `artifact ${name}`,
        );

      const out = join(dir, `export-${cell.labels.head}`);
      const exported = runCli(['export', cell.hash.slice(0, 10), '--store', storeDir, '--out', out]);
      assert.equal(exported.status, 0, `${exported.stdout}\n${exported.stderr}`);
      for (const file of ['adapter_config.json', 'adapter_model.safetensors', 'lookright.json', 'README.md'])
        assert.ok(existsSync(join(out, file)), file);
      assert.equal(existsSync(join(out, 'head-crf.safetensors')), cell.config.head.id === 'head:crf');
      const card = readFileSync(join(out, 'README.md'), 'utf8');
      assert.match(card, /^---\nbase_model: .+\nlibrary_name: peft\n/);
      assert.ok(card.includes(`pnpm lookright run ${suiteFile}`) && card.includes(cell.hash), 'command and cell hash');
      assert.ok(card.includes('`00111`'), 'masks per layer');

      if (cell.config.head.id === 'head:linear') {
        // the export is an ordinary PEFT adapter folder for the engine's loader too
        const hidden = (adapter: string[]) => {
          const file = join(dir, `hidden-${adapter.length ? 'adapter' : 'base'}.safetensors`);
          const args = ['inspect', 'hidden-states', '--model', model, '--inputs', inputs, '--mask', '00111'];
          const inspect = runCli([...args, ...adapter, '--out', file]);
          assert.equal(inspect.status, 0, `${inspect.stdout}\n${inspect.stderr}`);
          return readFileSync(file);
        };
        assert.ok(!hidden(['--adapter', out]).equals(hidden([])), 'the exported LoRA weights change the hidden states');
      }

      const predicted = join(dir, `predicted-${cell.labels.head}.conll`);
      const predict = runCli(['predict', '--adapter', out, '--out', predicted], { timeoutMs: 300_000 });
      assert.equal(predict.status, 0, `${predict.stdout}\n${predict.stderr}`);
      const ours = readFileSync(predicted);
      assert.ok(ours.length > 0);
      assert.ok(
        ours.equals(readFileSync(predictions.path)),
        `${cell.labels.head}: predictions from the export equal the cell’s, byte for byte`,
      );
    }
  });
});
