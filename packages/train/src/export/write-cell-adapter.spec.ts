import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Head, loadRegistry } from '@lookright/core';
import { attachLora, type DecoderModel, loadDecoder, loraSettings, readSafetensors } from '@lookright/engine';
import { fixturePath } from '@lookright/test-support/fixtures';
import type { TokenHead } from '../heads/token-head.js';
import { normalizeCellConfig } from '../loop/cell-config.js';
import { SeededRng } from '../rng.js';
import { useCpuBackend } from '../testing/use-cpu-backend.js';
import { readManifest } from './export-manifest.js';
import { loadHeadTensors } from './head-weights.js';
import { predictFromAdapter } from './predict-from-adapter.js';
import { writeCellAdapter } from './write-cell-adapter.js';

const labels = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG'];
const headSpec = (seed: number) => ({
  hiddenSize: 64,
  labels,
  scheme: 'iob2' as const,
  dropout: 0,
  rng: new SeededRng(seed),
});

/** The safetensors header: tensor names with dtype and shape. */
function layout(file: string): Record<string, { dtype: string; shape: number[] }> {
  const bytes = readFileSync(file);
  const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8'));
  return Object.fromEntries(
    Object.entries(header as Record<string, { dtype: string; shape: number[] }>)
      .filter(([k]) => k !== '__metadata__')
      .map(([k, v]) => [k, { dtype: v.dtype, shape: v.shape }]),
  );
}

describe('writeCellAdapter (PEFT export of a LoRA cell)', function () {
  this.timeout(120_000);
  let model: DecoderModel;
  let fixture: string;
  let linearHead: Head;
  let crfHead: Head;
  const config = normalizeCellConfig(
    {
      backbone: { id: 'backbone:llama', params: { model: 'llama-tiny' } },
      mask: 'mask:causal',
      dataset: { id: 'dataset:conll2003', params: { task: 'ner' } },
      head: 'head:linear',
      seed: 3,
      output: 'unused',
      recipe: { lora: { r: 4, alpha: 16, dropout: 0.1, targets: ['q', 'v'] }, maxLength: 48 },
    },
    'test',
  );

  before(async function () {
    await useCpuBackend();
    fixture = fixturePath(this, 'peft', 'llama-tiny-tokcls-lora');
    model = (await loadDecoder(fixturePath(this, 'hf-tiny', 'llama-tiny'))).model;
    attachLora(model, loraSettings({ r: 4, alpha: 16, dropout: 0.1, targetModules: ['q', 'v'] }), 11);
    const registry = await loadRegistry();
    const ctx = { baseDir: process.cwd(), env: process.env, log: () => {} };
    linearHead = await registry.create('head', { id: 'head:linear' }, ctx);
    crfHead = await registry.create('head', { id: 'head:crf' }, ctx);
  });
  after(() => model?.dispose());

  const write = async (
    head: TokenHead,
    base: { baseModel: string; baseModelFromConfig?: boolean } = { baseModel: '/models/llama-tiny' },
  ) => {
    const dir = mkdtempSync(join(tmpdir(), 'lookright-export-'));
    await writeCellAdapter(dir, {
      model,
      head,
      config,
      ...base,
      baseDir: '/suites',
      maskLabel: 'causal',
      masks: '0000',
      labels,
      scheme: 'iob2',
    });
    return dir;
  };

  it('writes the tensor names, shapes and config keys of PEFT v0.7.1 with a token-classification head', async () => {
    const head = linearHead.build(headSpec(1));
    const dir = await write(head);
    head.dispose();
    assert.deepEqual(
      layout(join(dir, 'adapter_model.safetensors')),
      layout(join(fixture, 'adapter_model.safetensors')),
    );
    const ours = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8'));
    const peft = JSON.parse(readFileSync(join(fixture, 'adapter_config.json'), 'utf8'));
    assert.deepEqual(Object.keys(ours), Object.keys(peft));
    for (const key of ['r', 'lora_alpha', 'lora_dropout', 'task_type', 'peft_type', 'bias', 'inference_mode'])
      assert.deepEqual(ours[key], peft[key], key);
    assert.deepEqual([...ours.target_modules].sort(), [...peft.target_modules].sort());
    assert.deepEqual(ours.modules_to_save, ['score']);
    assert.equal(ours.base_model_name_or_path, '/models/llama-tiny');
  });

  it('records in lookright.json what PEFT has no field for', async () => {
    const head = linearHead.build(headSpec(1));
    const dir = await write(head);
    head.dispose();
    const manifest = readManifest(dir);
    assert.equal(manifest.masks, '0000');
    assert.deepEqual(manifest.labels, labels);
    assert.equal(manifest.scheme, 'iob2');
    assert.deepEqual(manifest.tokenizer, { alignment: 'first-subword', maxLength: 48, truncatedWords: 'predicted O' });
    assert.deepEqual(manifest.head, { id: 'head:linear', type: 'linear', crfFile: null });
    assert.equal(manifest.seed, 3);
  });

  it('copies a base model made from a config into base-model/ and records that folder; a checkpoint is only named', async () => {
    const modelDir = mkdtempSync(join(tmpdir(), 'lookright-model-'));
    for (const file of ['config.json', 'model.safetensors', 'tokenizer.json'])
      writeFileSync(join(modelDir, file), `bytes of ${file}`);
    const head = linearHead.build(headSpec(1));
    const dir = await write(head, { baseModel: modelDir, baseModelFromConfig: true });
    const checkpoint = await write(head);
    head.dispose();
    for (const file of ['config.json', 'model.safetensors', 'tokenizer.json'])
      assert.equal(readFileSync(join(dir, 'base-model', file), 'utf8'), `bytes of ${file}`);
    assert.equal(
      JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8')).base_model_name_or_path,
      'base-model',
    );
    const manifest = readManifest(dir);
    assert.equal(manifest.baseModel, 'base-model');
    assert.deepEqual(manifest.includedBaseModel, { folder: 'base-model', origin: 'config' });
    assert.equal(existsSync(join(checkpoint, 'base-model')), false);
    assert.equal(readManifest(checkpoint).includedBaseModel, undefined);
    rmSync(modelDir, { recursive: true, force: true });
  });

  it('refuses a lookright.json whose base-model folder leaves the export', async () => {
    const head = linearHead.build(headSpec(1));
    const dir = await write(head);
    head.dispose();
    const file = join(dir, 'lookright.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(
      file,
      JSON.stringify({ ...manifest, includedBaseModel: { folder: '../elsewhere', origin: 'config' } }),
    );
    assert.throws(() => readManifest(dir), {
      code: 'TRAIN_EXPORT_INVALID',
      message: /lookright\.json: \/includedBaseModel\/folder: /,
    });
  });

  it('exports the head in nn.Linear layout, and loading it back gives the same weights', async () => {
    const head = linearHead.build(headSpec(1));
    const dir = await write(head);
    const saved = readSafetensors(join(dir, 'adapter_model.safetensors'));
    const weight = saved.get('base_model.model.score.weight')!;
    const [w] = head.variables();
    const ours = w.arraySync() as number[][];
    assert.equal(weight.data[1 * 64 + 2], ours[2][1], 'row = label, column = hidden unit');
    const fresh = linearHead.build(headSpec(2));
    const score = new Map([
      ['weight', weight],
      ['bias', saved.get('base_model.model.score.bias')!],
    ]);
    loadHeadTensors(fresh, score, null, 'adapter');
    fresh.variables().forEach((v, i) => {
      assert.deepEqual(v.dataSync(), head.variables()[i].dataSync());
    });
    head.dispose();
    fresh.dispose();
  });

  it('writes a CRF head as emissions under score plus head-crf.safetensors, and loads both back', async () => {
    const head = crfHead.build(headSpec(4));
    const dir = await write(head);
    assert.deepEqual(layout(join(dir, 'head-crf.safetensors')), {
      end: { dtype: 'F32', shape: [5] },
      start: { dtype: 'F32', shape: [5] },
      transitions: { dtype: 'F32', shape: [5, 5] },
    });
    assert.equal(readManifest(dir).head.crfFile, 'head-crf.safetensors');
    const saved = readSafetensors(join(dir, 'adapter_model.safetensors'));
    const fresh = crfHead.build(headSpec(5));
    const score = new Map([
      ['weight', saved.get('base_model.model.score.weight')!],
      ['bias', saved.get('base_model.model.score.bias')!],
    ]);
    loadHeadTensors(fresh, score, readSafetensors(join(dir, 'head-crf.safetensors')), 'adapter');
    fresh.variables().forEach((v, i) => {
      assert.deepEqual(v.dataSync(), head.variables()[i].dataSync());
    });
    assert.throws(() => loadHeadTensors(fresh, score, null, 'adapter'), { code: 'TRAIN_EXPORT_INVALID' });
    head.dispose();
    fresh.dispose();
  });

  it('refuses an edited or incomplete lookright.json with typed errors naming the file and key', async () => {
    const head = linearHead.build(headSpec(1));
    const dir = await write(head);
    head.dispose();
    const file = join(dir, 'lookright.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...manifest, seed: manifest.seed + 1 }));
    await assert.rejects(predictFromAdapter(dir, { split: 'test', out: join(dir, 'p.conll') }), {
      code: 'TRAIN_EXPORT_INVALID',
      message: /lookright\.json: trainConfigHash: does not match/,
    });
    writeFileSync(file, JSON.stringify({ ...manifest, masks: 'causal' }));
    assert.throws(() => readManifest(dir), { code: 'TRAIN_EXPORT_INVALID', message: /lookright\.json: \/masks: / });
    rmSync(file);
    assert.throws(() => readManifest(dir), { code: 'TRAIN_EXPORT_INVALID', message: /file not found/ });
  });

  it('refuses a head whose tensor layout it does not know, with a typed error', async () => {
    const head = linearHead.build(headSpec(1));
    const odd = Object.assign(Object.create(head), { type: 'pointer-net' }) as TokenHead;
    await assert.rejects(write(odd), { code: 'TRAIN_EXPORT_HEAD_UNSUPPORTED' });
    head.dispose();
  });
});
