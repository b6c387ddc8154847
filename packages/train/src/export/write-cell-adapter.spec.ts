import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachLora, type DecoderModel, loadDecoder, loraSettings, readSafetensors } from '@lookright/engine';
import { fixturePath } from '../../../../test/support/fixtures.js';
import { CrfHead } from '../heads/crf-head.js';
import { LinearHead } from '../heads/linear-head.js';
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
  });
  after(() => model?.dispose());

  const write = async (head: TokenHead) => {
    const dir = mkdtempSync(join(tmpdir(), 'lookright-export-'));
    await writeCellAdapter(dir, {
      model,
      head,
      config,
      baseModel: '/models/llama-tiny',
      baseDir: '/suites',
      maskLabel: 'causal',
      masks: '0000',
      labels,
      scheme: 'iob2',
    });
    return dir;
  };

  it('writes the tensor names, shapes and config keys of PEFT v0.7.1 with a token-classification head', async () => {
    const head = new LinearHead(headSpec(1));
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
    const head = new LinearHead(headSpec(1));
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

  it('exports the head in nn.Linear layout, and loading it back gives the same weights', async () => {
    const head = new LinearHead(headSpec(1));
    const dir = await write(head);
    const saved = readSafetensors(join(dir, 'adapter_model.safetensors'));
    const weight = saved.get('base_model.model.score.weight')!;
    const [w] = head.variables();
    const ours = w.arraySync() as number[][];
    assert.equal(weight.data[1 * 64 + 2], ours[2][1], 'row = label, column = hidden unit');
    const fresh = new LinearHead(headSpec(2));
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
    const head = new CrfHead(headSpec(4));
    const dir = await write(head);
    assert.deepEqual(layout(join(dir, 'head-crf.safetensors')), {
      end: { dtype: 'F32', shape: [5] },
      start: { dtype: 'F32', shape: [5] },
      transitions: { dtype: 'F32', shape: [5, 5] },
    });
    assert.equal(readManifest(dir).head.crfFile, 'head-crf.safetensors');
    const saved = readSafetensors(join(dir, 'adapter_model.safetensors'));
    const fresh = new CrfHead(headSpec(5));
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
    const head = new LinearHead(headSpec(1));
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
    const head = new LinearHead(headSpec(1));
    const odd = Object.assign(Object.create(head), { type: 'pointer-net' }) as TokenHead;
    await assert.rejects(write(odd), { code: 'TRAIN_EXPORT_HEAD_UNSUPPORTED' });
    head.dispose();
  });
});
