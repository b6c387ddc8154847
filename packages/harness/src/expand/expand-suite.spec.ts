import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, contentHash, validateSuiteText } from '@lookright/core';
import { testRegistry } from '../testing/test-registry.js';
import { expandSuite } from './expand-suite.js';

const runner = { id: 'runner:test', version: '1' };
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
    const withKernels = (native: string) =>
      expandSuite(suite, {
        registry,
        suiteFile: file,
        runner: { ...runner, numerics: { native } },
        env: { LOOKRIGHT_DATA_DIR: '/data' },
      });
    assert.notEqual(
      (await withKernels('on'))[0].hash,
      (await withKernels('off'))[0].hash,
      'native kernels change the numbers',
    );
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
    await assert.rejects(expand(file, missing), /dataset dataset:lines at \/axes\/dataset\/0 could not be read/);
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
