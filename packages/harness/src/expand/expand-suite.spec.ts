import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, contentHash, SuiteValidationError, validateSuiteText } from '@lookright/core';
import { WEBGPU_KERNELS } from '@lookright/engine';
import { NATIVE_BF16_KERNELS } from '@lookright/train';
import { assumedSubwordsPerWord, cellWorkload } from '../estimate/cell-workload.js';
import { testRegistry } from '../testing/test-registry.js';
import { cellIdentity } from './cell-hash.js';
import { expandSuite } from './expand-suite.js';

const runner = { id: 'runner:test', version: '1' };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** The suite placeholder, spelled so that no linter takes it for a template. */
const dataDir = ['$', '{LOOKRIGHT_DATA_DIR}'].join('');

function setup(extraYaml = '', data = 'EU/B-ORG rejects/O German/B-MISC call/O\nPeter/B-PER Blackburn/I-PER\n') {
  const dir = mkdtempSync(join(tmpdir(), 'lookright-expand-'));
  writeFileSync(join(dir, 'train.txt'), data);
  const file = join(dir, 'suite.yaml');
  const text = `name: t
recipe: {epochs: 1}
axes:
  backbone: [{id: backbone:tiny, params: {path: "\${LOOKRIGHT_DATA_DIR}/model"}}]
  mask: [mask:causal, "0101", {id: mask:first-k, params: {k: 2}}]
  dataset: [{id: dataset:lines, params: {file: train.txt}}]
  seed: [1, 2]
${extraYaml}`;
  writeFileSync(file, text);
  return { dir, file, text };
}

async function expand(file: string, text: string, registry = testRegistry(), env = { LOOKRIGHT_DATA_DIR: '/data' }) {
  const suite = validateSuiteText(file, text, registry);
  return expandSuite(suite, { registry, suiteFile: file, runner, env });
}

describe('canonicalJson', () => {
  it('gives the same text whatever the key order, at every depth', () => {
    const a = { b: 1, a: { y: [1, { q: 2, p: 3 }], x: null } };
    const b = { a: { x: null, y: [1, { p: 3, q: 2 }] }, b: 1 };
    assert.equal(canonicalJson(a), canonicalJson(b));
    assert.equal(contentHash(a), contentHash(b));
  });
  it('keeps array order significant and refuses non-finite numbers', () => {
    assert.notEqual(contentHash([1, 2]), contentHash([2, 1]));
    assert.throws(() => canonicalJson({ x: Number.NaN }), /not representable/);
  });
});

describe('expandSuite', () => {
  it('crosses the axes, fills defaults and interpolates LOOKRIGHT_DATA_DIR', async () => {
    const { file, text } = setup();
    const cells = await expand(file, text);
    assert.equal(cells.length, 3 * 2);
    assert.deepEqual(
      cells.map((c) => `${c.labels.mask}/${c.labels.seed}`),
      ['causal/1', 'causal/2', 'groups:0101/1', 'groups:0101/2', 'first-k:2/1', 'first-k:2/2'],
    );
    const cell = cells[0];
    assert.equal(cell.config.backbone.params.path, '/data/model');
    assert.equal(cell.config.backbone.paramsAsWritten.path, `${dataDir}/model`);
    assert.equal(cell.config.backbone.params.dtype, 'float32', 'plugin param default filled');
    assert.equal(cell.config.recipe.epochs, 1);
    assert.equal(cell.config.recipe.learningRate, 2e-4, 'recipe default filled');
    assert.equal(cell.config.dataset.fingerprint.trainSentences, 2);
    assert.match(cell.config.dataset.fingerprint.files[0].sha256, /^[0-9a-f]{64}$/);
    assert.equal(new Set(cells.map((c) => c.hash)).size, cells.length, 'every cell has its own hash');
  });

  it('crosses an input axis with the others; input:identity cells keep the hash of a suite without one', async () => {
    const { file, text } = setup();
    const plain = await expand(file, text);
    const withInput = text.replace(
      '  seed: [1, 2]\n',
      '  input: [input:identity, {id: input:repeat, params: {r: 2}}]\n  seed: [1, 2]\n',
    );
    const cells = await expand(file, withInput);
    assert.equal(cells.length, 2 * plain.length);
    const identity = cells.filter((c) => c.labels.input === 'identity');
    const repeated = cells.filter((c) => c.labels.input === 'repeat');
    assert.deepEqual(
      identity.map((c) => c.hash),
      plain.map((c) => c.hash),
      'identity adds nothing to a cell hash',
    );
    assert.equal(identity[0].config.input, undefined);
    assert.equal(plain[0].labels.input, undefined, 'no input label without an input axis');
    assert.equal(repeated.length, plain.length);
    assert.deepEqual(repeated[0].config.input?.params, { r: 2 });
    // <s> w1..wn </s> repeated twice between the specials: 2·n − 2 tokens, so the cost estimate counts them
    assert.deepEqual(repeated[0].config.input?.expansion, { factor: 2, extra: -2 });
    const tokens = (cell: (typeof cells)[number]) => cellWorkload(cell.config).tokens ?? 0;
    const tokenized = 3 * assumedSubwordsPerWord + 2; // the test data: 2 sentences, 6 words
    assert.ok(Math.abs(tokens(repeated[0]) / tokens(identity[0]) - (2 * tokenized - 2) / tokenized) < 0.01);
    assert.equal(new Set(cells.map((c) => c.hash)).size, cells.length, 'repeat cells hash apart');
    const filtered = await expand(file, `${withInput}exclude: [{input: repeat, mask: causal}]\n`);
    assert.equal(filtered.length, cells.length - 2, 'filters name the input axis');
  });

  it('refuses a filter naming an input the suite does not have, with the nearest name', async () => {
    const { file, text } = setup('exclude: [{input: repaet}]\n');
    const withInput = text.replace('  seed: [1, 2]\n', '  input: [input:identity, input:repeat]\n  seed: [1, 2]\n');
    await assert.rejects(expand(file, withInput), (e: unknown) => {
      assert.ok(e instanceof SuiteValidationError);
      assert.match(e.message, /exclude\/0\/input/);
      assert.match(e.message, /did you mean repeat/);
      return true;
    });
  });

  it('expands a mask grid into 2^G patterns, all-causal first', async () => {
    const { file, text } = setup();
    const gridText = text.replace(/mask: .*\n/, 'mask: [{grid: {groups: 3}}]\n');
    const cells = await expand(file, gridText);
    const patterns = [...new Set(cells.map((c) => c.config.mask.params.pattern))];
    assert.equal(patterns.length, 8);
    assert.equal(patterns[0], '000');
    assert.equal(patterns[7], '111');
  });

  it('applies include, exclude and overrides by id, label, pattern and seed', async () => {
    const { file, text } = setup(`include: [{mask: mask:causal}, {mask: "0101"}]
exclude: [{mask: "0101", seed: 2}]
overrides:
  - when: {mask: causal}
    recipe: {learningRate: 0.001, lora: {r: 8}}
`);
    const cells = await expand(file, text);
    assert.deepEqual(
      cells.map((c) => `${c.labels.mask}/${c.labels.seed}`),
      ['causal/1', 'causal/2', 'groups:0101/1'],
    );
    const causal = cells[0].config.recipe;
    assert.equal(causal.learningRate, 0.001);
    assert.deepEqual(causal.lora, { r: 8, alpha: 16, dropout: 0.1, targets: ['q', 'v'] });
    assert.equal(cells[2].config.recipe.learningRate, 2e-4, 'override does not leak to other cells');
  });

  it('refuses an include/exclude/when value that matches no cell, naming the line and the nearest name', async () => {
    const { file, text } = setup(`include: [{mask: mask:causal}]
exclude: [{mask: causl}, {seed: 7}]
overrides:
  - when: {dataset: dataset:line}
    recipe: {learningRate: 0.001}
`);
    await assert.rejects(expand(file, text), (e: Error) => {
      assert.ok(e instanceof SuiteValidationError, String(e));
      assert.equal(e.problems.length, 3, e.message);
      assert.match(
        e.message,
        /suite\.yaml:9:\d+ at \/exclude\/0\/mask: expected a mask of the suite .*did you mean causal\?, found "causl", which matches no cell/,
      );
      assert.match(
        e.message,
        /suite\.yaml:9:\d+ at \/exclude\/1\/seed: expected a seed of the suite \(1, 2\), found 7/,
      );
      assert.match(e.message, /suite\.yaml:11:\d+ at \/overrides\/0\/when\/dataset: .*did you mean dataset:lines\?/);
      return true;
    });
  });

  it('refuses a mask given twice instead of merging it, naming both entries', async () => {
    const { file, text } = setup();
    const twice = text.replace(
      'mask: [mask:causal, "0101",',
      'mask: [mask:causal, "0101", {id: mask:groups, params: {pattern: "0101"}},',
    );
    await assert.rejects(expand(file, twice), (e: Error) => {
      assert.ok(e instanceof SuiteValidationError, String(e));
      assert.match(
        e.message,
        /suite\.yaml:5:\d+ at \/axes\/mask\/2: expected each mask once .*found groups:0101 again, already given at \/axes\/mask\/1/,
      );
      return true;
    });
    const grid = text.replace('mask: [mask:causal, "0101",', 'mask: [{grid: {groups: 4}}, "0101",');
    await assert.rejects(expand(file, grid), /at \/axes\/mask\/1: expected each mask once/);
  });

  it('hash is independent of key order, machine paths and labels', async () => {
    const { file, text } = setup();
    const reordered = text
      .replace(
        `{id: backbone:tiny, params: {path: "${dataDir}/model"}}`,
        `{params: {path: "${dataDir}/model"}, id: backbone:tiny, name: tiny}`,
      )
      .replace('recipe: {epochs: 1}', 'recipe: {epochs: 1, learningRate: 0.0002}');
    const a = await expand(file, text);
    const b = await expand(file, reordered, testRegistry(), { LOOKRIGHT_DATA_DIR: '/elsewhere' });
    assert.deepEqual(
      b.map((c) => c.hash),
      a.map((c) => c.hash),
    );
    assert.equal(b[0].labels.backbone, 'tiny');
  });

  it('hash changes with a param, the recipe, the seed, a plugin version, the data or the runner numerics', async () => {
    const { file, text } = setup();
    const base = (await expand(file, text))[0].hash;
    const variants = [
      await expand(file, text.replace('epochs: 1', 'epochs: 2')),
      await expand(file, text.replace('/model"', '/model2"')),
      await expand(file, text, testRegistry('1.0.1')),
    ];
    for (const cells of variants) assert.notEqual(cells[0].hash, base);
    const seeds = await expand(file, text);
    assert.notEqual(seeds[1].hash, seeds[0].hash);
    const changed = setup('', 'EU/B-ORG rejects/O German/B-MISC call/O\nPeter/B-PER Blackburn/O\n');
    assert.notEqual((await expand(changed.file, changed.text))[0].hash, base);
    const registry = testRegistry();
    const suite = validateSuiteText(file, text, registry);
    const withKernels = (numerics: Record<string, string>) =>
      expandSuite(suite, {
        registry,
        suiteFile: file,
        runner: { ...runner, numerics },
        env: { LOOKRIGHT_DATA_DIR: '/data' },
      });
    const skylake = (await withKernels({ native: 'on', blas: 'OpenBLAS 0.3.21 SkylakeX' }))[0].hash;
    assert.notEqual(skylake, (await withKernels({ native: 'off' }))[0].hash, 'native kernels change the numbers');
    assert.notEqual(
      skylake,
      (await withKernels({ native: 'on', blas: 'OpenBLAS 0.3.21 Haswell, one thread' }))[0].hash,
      "another BLAS core's products change the numbers",
    );
  });

  it('hash counts weightStorage only when it is not f32, so suites without it keep their cells', async () => {
    const { file, text } = setup();
    const base = (await expand(file, text))[0].hash;
    const storage = (value: string) => expand(file, text.replace('epochs: 1', `epochs: 1, weightStorage: ${value}`));
    const f32 = await storage('f32');
    assert.equal(f32[0].config.recipe.weightStorage, 'f32', 'the key was read');
    assert.equal(f32[0].hash, base);
    const packed = await Promise.all(['bf16', 'f16', 'nf4'].map(async (v) => (await storage(v))[0].hash));
    assert.equal(new Set([base, ...packed]).size, 4, 'f32, bf16, f16 and nf4 cells are hashed apart');
  });

  it('a bf16 cell hashes the native bf16 kernel generation; matmulPrecision f32 is the cell without the key', async () => {
    const { file, text } = setup();
    const [base] = await expand(file, text);
    const precision = async (value: string) =>
      (await expand(file, text.replace('epochs: 1', `epochs: 1, matmulPrecision: ${value}`)))[0];
    const f32 = await precision('f32');
    assert.equal(f32.hash, base.hash);
    const bf16 = await precision('bf16');
    assert.notEqual(bf16.hash, base.hash);
    assert.equal((cellIdentity(bf16.config) as { bf16Kernels?: string }).bf16Kernels, NATIVE_BF16_KERNELS);
    assert.equal((cellIdentity(base.config) as { bf16Kernels?: string }).bf16Kernels, undefined);
  });

  it('a webgpu cell hashes the WGSL kernels generation; other backends do not', async () => {
    const { file, text } = setup();
    const [base] = await expand(file, text);
    assert.equal((cellIdentity(base.config) as { webgpuKernels?: string }).webgpuKernels, undefined);
    const [gpu] = await expand(file, text.replace('epochs: 1', 'epochs: 1, backend: webgpu'));
    assert.equal((cellIdentity(gpu.config) as { webgpuKernels?: string }).webgpuKernels, WEBGPU_KERNELS);
    const [wasm] = await expand(file, text.replace('epochs: 1', 'epochs: 1, backend: wasm'));
    assert.equal((cellIdentity(wasm.config) as { webgpuKernels?: string }).webgpuKernels, undefined);
  });

  it('hash covers the files of a local checkpoint: a model.safetensors replaced at the same path makes new cells', async () => {
    const { file, text } = setup();
    const root = mkdtempSync(join(tmpdir(), 'lookright-ckpt-'));
    const model = join(root, 'model');
    mkdirSync(model);
    writeFileSync(join(model, 'config.json'), '{"num_hidden_layers": 2}');
    writeFileSync(join(model, 'model.safetensors'), 'weights one');
    const env = { LOOKRIGHT_DATA_DIR: root, LOOKRIGHT_CACHE_DIR: join(root, 'cache') };
    const first = await expand(file, text, testRegistry(), env);
    assert.deepEqual(
      first[0].config.backbone.checkpoint?.files.map((f) => f.name),
      ['config.json', 'model.safetensors'],
    );
    assert.equal(first[0].config.backbone.checkpoint?.files[1].sha256, sha256('weights one'));
    writeFileSync(join(root, 'new.safetensors'), 'weights two');
    renameSync(join(root, 'new.safetensors'), join(model, 'model.safetensors'));
    const replaced = await expand(file, text, testRegistry(), env);
    assert.equal(replaced[0].config.backbone.checkpoint?.files[1].sha256, sha256('weights two'));
    assert.notEqual(replaced[0].hash, first[0].hash);
    assert.equal((await expand(file, text, testRegistry(), env))[0].hash, replaced[0].hash, 'stable while unchanged');
  });

  it('hashes a checkpoint file once: the digest is kept by path, size, mtime and inode in LOOKRIGHT_CACHE_DIR', async () => {
    const { file, text } = setup();
    const root = mkdtempSync(join(tmpdir(), 'lookright-ckpt-'));
    mkdirSync(join(root, 'model'));
    writeFileSync(join(root, 'model', 'config.json'), '{}');
    const weights = join(root, 'model', 'model.safetensors');
    writeFileSync(weights, 'weights');
    const env = { LOOKRIGHT_DATA_DIR: root, LOOKRIGHT_CACHE_DIR: join(root, 'cache') };
    await expand(file, text, testRegistry(), env);
    const cacheFile = join(root, 'cache', 'file-sha256.json');
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
    assert.equal(cache[weights].sha256, sha256('weights'));
    // a digest the cache holds for an unchanged file is used as it is, without reading the file again
    cache[weights].sha256 = 'f'.repeat(64);
    writeFileSync(cacheFile, JSON.stringify(cache));
    const cached = await expand(file, text, testRegistry(), env);
    assert.equal(cached[0].config.backbone.checkpoint?.files[1].sha256, 'f'.repeat(64));
    utimesSync(weights, new Date(2001, 1, 1), new Date(2001, 1, 1));
    const touched = await expand(file, text, testRegistry(), env);
    assert.equal(
      touched[0].config.backbone.checkpoint?.files[1].sha256,
      sha256('weights'),
      'a new mtime is hashed again',
    );
  });

  it('leaves hub-cache snapshots (content-addressed, named by repo and revision) and non-checkpoint paths unhashed', async () => {
    const { file, text } = setup();
    const root = mkdtempSync(join(tmpdir(), 'lookright-ckpt-'));
    const snapshot = join(root, 'hub', 'models--org--tiny', 'snapshots', 'a'.repeat(40));
    mkdirSync(snapshot, { recursive: true });
    writeFileSync(join(snapshot, 'config.json'), '{}');
    const hub = text.replace(`${dataDir}/model`, `${dataDir}/hub/models--org--tiny/snapshots/${'a'.repeat(40)}`);
    const env = { LOOKRIGHT_DATA_DIR: root, LOOKRIGHT_CACHE_DIR: join(root, 'cache') };
    assert.equal((await expand(file, hub, testRegistry(), env))[0].config.backbone.checkpoint, undefined);
    assert.equal((await expand(file, text, testRegistry(), env))[0].config.backbone.checkpoint, undefined);
  });

  it('names the suite path when an interpolated variable is unset or secret-like', async () => {
    const { file, text } = setup();
    await assert.rejects(expand(file, text, testRegistry(), {} as { LOOKRIGHT_DATA_DIR: string }), (e: Error) => {
      assert.match(e.message, /\/axes\/backbone\/0\/params\/path refers to \$\{LOOKRIGHT_DATA_DIR\}/);
      return true;
    });
    const secret = text.replace('LOOKRIGHT_DATA_DIR}', 'HF_TOKEN}');
    await assert.rejects(expand(file, secret), /only LOOKRIGHT_\* variables/);
  });

  it('names the dataset when its data cannot be read, unless asked to mark it', async () => {
    const { file, text } = setup();
    const missing = text.replace('file: train.txt', 'file: nowhere.txt');
    await assert.rejects(expand(file, missing), /suite\.yaml:6 at \/axes\/dataset\/0: dataset:lines: .*nowhere\.txt/);
    const registry = testRegistry();
    const suite = validateSuiteText(file, missing, registry);
    const cells = await expandSuite(suite, {
      registry,
      suiteFile: file,
      runner,
      env: { LOOKRIGHT_DATA_DIR: '/d' },
      missingData: 'mark',
    });
    assert.match(cells[0].config.dataset.fingerprint.unavailable ?? '', /nowhere\.txt/);
  });
});
