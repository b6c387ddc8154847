import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ExportManifest, writeManifest } from '@lookright/train';
import type { Cell } from '../expand/cell-types.js';
import { currentProcess } from '../store/process-identity.js';
import { RunStore } from '../store/run-store.js';
import { testCells } from '../testing/test-suite.js';
import { peftArtifacts } from '../train-runner/train-cell-runner.js';
import { exportCell } from './export-cell.js';

/**
 * A cell's output folder as the train runner leaves it: metrics.json, and for a LoRA cell peft/ (with base-model/
 * when `withBaseModel`, as for a backbone made from a config).
 */
function writeOutput(dir: string, cell: Cell, withPeft: boolean, withBaseModel = false) {
  const output = join(dir, cell.hash.slice(0, 8), 'output');
  mkdirSync(join(output, 'peft'), { recursive: true });
  const artifacts = [{ name: 'metrics', path: join(output, 'metrics.json') }];
  writeFileSync(artifacts[0].path, '{}\n');
  if (!withPeft) return artifacts;
  const peft = peftArtifacts(output);
  writeFileSync(peft['peft.adapter_config'], '{"peft_type": "LORA"}\n');
  writeFileSync(peft['peft.adapter_model'], 'not-really-safetensors');
  const manifest: ExportManifest = {
    format: 'lookright-peft-export',
    version: 1,
    trainConfigHash: 'abc',
    baseModel: withBaseModel ? 'base-model' : '/models/tiny',
    ...(withBaseModel ? { includedBaseModel: { folder: 'base-model', origin: 'config' as const } } : {}),
    baseDir: dir,
    plugins: [],
    backbone: { id: 'backbone:tiny', params: { path: 'model' } },
    mask: { id: 'mask:groups', params: { pattern: '01' }, label: 'groups:01' },
    masks: '01',
    dataset: { id: 'dataset:lines', params: { file: 'train.txt' } },
    head: { id: 'head:linear', type: 'linear', crfFile: null },
    labels: ['O', 'B-PER', 'I-PER'],
    scheme: 'iob2',
    tokenizer: { alignment: 'first-subword', maxLength: 64, truncatedWords: 'predicted O' },
    seed: 1,
    recipe: cell.config.recipe,
  };
  writeManifest(join(output, 'peft'), manifest);
  for (const name of ['peft.adapter_config', 'peft.adapter_model', 'peft.lookright'])
    artifacts.push({ name, path: peft[name] });
  if (withBaseModel) {
    mkdirSync(join(output, 'peft', 'base-model'));
    for (const name of ['peft.base_model.config', 'peft.base_model.weights', 'peft.base_model.tokenizer']) {
      writeFileSync(peft[name], `bytes of ${name}`);
      artifacts.push({ name, path: peft[name] });
    }
  }
  return artifacts;
}

async function storeWithCells() {
  const { dir, file, cells } = await testCells();
  cells[1].config.recipe = { ...cells[1].config.recipe, lora: false };
  const store = RunStore.open(join(dir, 'runs'));
  const suiteId = store.registerSuite({ name: 'test-suite', file, json: {} }, cells);
  const execution = store.beginExecution(suiteId, currentProcess());
  const finish = (cell: Cell, withPeft: boolean, withBaseModel = false) => {
    const claim = store.ledger.claim(cell.hash, execution, currentProcess(), join(dir, `${cell.hash}.log`));
    assert.ok('attemptId' in claim);
    const artifacts = writeOutput(dir, cell, withPeft, withBaseModel);
    store.ledger.finish(cell.hash, claim.attemptId, {
      metrics: { 'test.f1': 0.5, 'dev.f1': 0.25, steps: 3 },
      artifacts,
    });
    return artifacts;
  };
  return { dir, file, cells, store, finish };
}

describe('exportCell (lookright export)', () => {
  it('copies a LoRA cell’s adapter files and writes a model card with base model, masks, scores and command', async () => {
    const { dir, file, cells, store, finish } = await storeWithCells();
    finish(cells[0], true);
    const out = join(dir, 'export');
    const result = exportCell(store, cells[0].hash.slice(0, 8).toUpperCase(), out);
    store.close();
    assert.equal(result.hash, cells[0].hash);
    assert.deepEqual(result.files.map((f) => f.slice(out.length + 1)).sort(), [
      'README.md',
      'adapter_config.json',
      'adapter_model.safetensors',
      'lookright.json',
    ]);
    assert.equal(readFileSync(join(out, 'adapter_model.safetensors'), 'utf8'), 'not-really-safetensors');
    const card = readFileSync(join(out, 'README.md'), 'utf8');
    assert.match(
      card,
      /^---\nbase_model: "\/models\/tiny"\nlibrary_name: peft\npipeline_tag: token-classification\ntags:\n- lookright\n/,
    );
    assert.match(card, /\| 0 \| causal \|\n\| 1 \| bidirectional \|/);
    assert.match(card, /\| test \| – \| – \| 50\.00 \| – \|/);
    assert.ok(card.includes(`pnpm lookright run ${file}\n# cell ${cells[0].hash}`));
    assert.ok(card.includes('Seed 1; LoRA r 64'));
  });

  it('copies the base model of a backbone made from a config into base-model/ and says so on the card', async () => {
    const { dir, cells, store, finish } = await storeWithCells();
    finish(cells[0], true, true);
    const out = join(dir, 'export-config');
    const result = exportCell(store, cells[0].hash, out);
    store.close();
    assert.deepEqual(result.files.map((f) => f.slice(out.length + 1)).sort(), [
      'README.md',
      'adapter_config.json',
      'adapter_model.safetensors',
      'base-model/config.json',
      'base-model/model.safetensors',
      'base-model/tokenizer.json',
      'lookright.json',
    ]);
    assert.equal(
      readFileSync(join(out, 'base-model', 'model.safetensors'), 'utf8'),
      'bytes of peft.base_model.weights',
    );
    const card = readFileSync(join(out, 'README.md'), 'utf8');
    assert.match(card, /^---\nlibrary_name: peft\n/, 'no hub base_model in the front matter');
    assert.match(card, /## Base model\n\nThe base model is included in `base-model\/`/);
    assert.match(
      card,
      /not a pretrained checkpoint: lookright\nmade it from a config \(backbone:tiny .*\) with random initialisation drawn from seed 1/,
    );
  });

  it('refuses a full fine-tuning cell, naming the lookright checkpoint to use instead', async () => {
    const { cells, store, finish, dir } = await storeWithCells();
    finish(cells[1], false);
    assert.throws(
      () => exportCell(store, cells[1].hash, join(dir, 'x')),
      (error: Error & { code?: string }) => {
        assert.equal(error.code, 'EXPORT_NOT_LORA');
        assert.match(
          `${error.message} ${(error as { hint?: string }).hint}`,
          /recipe\.lora is false.*checkpoint\.safetensors/s,
        );
        return true;
      },
    );
    store.close();
  });

  it('gives typed errors for a bad prefix, an unknown or unfinished cell, a missing adapter and a changed file', async () => {
    const { cells, store, finish, dir } = await storeWithCells();
    const out = join(dir, 'x');
    assert.throws(() => exportCell(store, 'zz-top', out), { code: 'EXPORT_CELL_PREFIX_INVALID' });
    const unused = ['0000', '1111', '2222', '3333', '4444'].find((p) => !cells.some((c) => c.hash.startsWith(p)));
    assert.throws(() => exportCell(store, unused!, out), { code: 'EXPORT_UNKNOWN_CELL' });
    assert.throws(() => exportCell(store, cells[2].hash, out), { code: 'EXPORT_CELL_NOT_FINISHED' });
    finish(cells[3], false);
    assert.throws(() => exportCell(store, cells[3].hash, out), { code: 'EXPORT_ADAPTER_MISSING' });
    const artifacts = finish(cells[0], true);
    appendFileSync(artifacts.find((a) => a.name === 'peft.adapter_model')!.path, 'x');
    assert.throws(() => exportCell(store, cells[0].hash, out), { code: 'EXPORT_ARTIFACT_CHANGED' });
    store.close();
  });
});
