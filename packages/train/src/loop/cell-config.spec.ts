import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellConfigHash, readCellFile } from './cell-config.js';

describe('cell.yaml', () => {
  let dir: string;
  const write = (text: string) => {
    const file = join(dir, 'cell.yaml');
    writeFileSync(file, text);
    return file;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookright-cell-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const minimal =
    'backbone: {id: backbone:llama, params: {model: m}}\nmask: mask:causal\ndataset: dataset:conll2003\nhead: head:crf\noutput: runs/a\n';

  it("fills the paper's recipe, expands plugin shorthands and resolves output against the file", () => {
    const cell = readCellFile(write(minimal));
    assert.deepEqual(cell.mask, { id: 'mask:causal' });
    assert.equal(cell.output, join(dir, 'runs/a'));
    assert.equal(cell.seed, 1);
    assert.equal(cell.maskAudit, 'enforce');
    assert.equal(cell.recipe.learningRate, 2e-4);
    assert.deepEqual(cell.recipe.betas, [0.9, 0.95]);
    assert.equal(cell.recipe.batchSize * cell.recipe.gradientAccumulation, 64);
    assert.deepEqual(cell.recipe.lora, { r: 64, alpha: 16, dropout: 0.1, targets: ['q', 'v'] });
  });

  it('names the file, line and key of an unknown key and of a wrong type', () => {
    assert.throws(() => readCellFile(write(`${minimal}recipie: {}\n`)), /cell\.yaml:6:\d+: .*unknown key "recipie"/);
    assert.throws(
      () => readCellFile(write(`${minimal}recipe:\n  epochs: two\n`)),
      /cell\.yaml:7:\d+: .*\/recipe\/epochs: must be integer/,
    );
  });

  it('hashes what decides the numbers, not where the run is written', () => {
    const a = readCellFile(write(minimal));
    const b = readCellFile(write(minimal.replace('runs/a', 'runs/b')));
    const c = readCellFile(write(`${minimal}seed: 2\n`));
    assert.equal(cellConfigHash(a), cellConfigHash(b));
    assert.notEqual(cellConfigHash(a), cellConfigHash(c));
  });

  it('hashes weightStorage only when it is not f32, so cells without the key keep their hash', () => {
    const plain = readCellFile(write(minimal));
    const f32 = readCellFile(write(`${minimal}recipe: {weightStorage: f32}\n`));
    const bf16 = readCellFile(write(`${minimal}recipe: {weightStorage: bf16}\n`));
    assert.equal(plain.recipe.weightStorage, undefined, 'no default is filled in');
    assert.equal(cellConfigHash(f32), cellConfigHash(plain));
    assert.notEqual(cellConfigHash(bf16), cellConfigHash(plain));
    assert.throws(() => readCellFile(write(`${minimal}recipe: {weightStorage: f8}\n`)), /weightStorage/);
  });

  it('hashes matmulPrecision only when it is not f32, so cells without the key keep their hash', () => {
    const plain = readCellFile(write(minimal));
    const f32 = readCellFile(write(`${minimal}recipe: {matmulPrecision: f32}\n`));
    const bf16 = readCellFile(write(`${minimal}recipe: {matmulPrecision: bf16}\n`));
    assert.equal(plain.recipe.matmulPrecision, undefined, 'no default is filled in');
    assert.equal(f32.recipe.matmulPrecision, 'f32', 'the key was read');
    assert.equal(cellConfigHash(f32), cellConfigHash(plain));
    assert.notEqual(cellConfigHash(bf16), cellConfigHash(plain));
    assert.throws(() => readCellFile(write(`${minimal}recipe: {matmulPrecision: f16}\n`)), /matmulPrecision/);
  });
});
