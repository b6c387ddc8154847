import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultStrategyId, strategyNames } from './strategy-names.js';
import { writeMaskStrategyPackage } from './write-package.js';

describe('writeMaskStrategyPackage', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookright-new-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('derives every name from the id', () => {
    assert.deepEqual(strategyNames('mask:every-3rd'), {
      id: 'mask:every-3rd',
      name: 'every-3rd',
      camel: 'every3rd',
      constant: 'EVERY_3RD',
      packageName: 'lookright-mask-every-3rd',
    });
    assert.equal(defaultStrategyId('/x/lookright-mask-My_Idea'), 'mask:my-idea');
  });

  it('refuses ids lookright would reject or that give no identifier, naming the id', () => {
    for (const id of ['groups', 'backbone:x', 'mask:3rd', 'mask:Upper', 'mask:']) {
      assert.throws(() => strategyNames(id), { code: 'NEW_BAD_ID', message: new RegExp(JSON.stringify(id)) });
    }
  });

  it('writes into a missing folder, using the folder name as the id', () => {
    const written = writeMaskStrategyPackage(join(dir, 'late-open'), '/checkout');
    assert.equal(written.id, 'mask:late-open');
    const pkg = JSON.parse(readFileSync(join(written.dir, 'package.json'), 'utf8'));
    assert.equal(pkg.name, 'lookright-mask-late-open');
    assert.equal(pkg.lookright.plugin, './src/module.ts');
    assert.equal(pkg.dependencies, undefined);
    assert.match(readFileSync(join(written.dir, 'src', 'late-open.ts'), 'utf8'), /id: 'mask:late-open'/);
  });

  it('writes nothing into a folder that holds a file', () => {
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    assert.throws(() => writeMaskStrategyPackage(dir, '/checkout', 'mask:x'), { code: 'NEW_TARGET_NOT_EMPTY' });
    assert.deepEqual(readdirSync(dir), ['notes.txt']);
  });

  it('accepts an existing empty folder and refuses a bad id before writing', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    assert.throws(() => writeMaskStrategyPackage(empty, '/checkout', 'mask:Bad'), { code: 'NEW_BAD_ID' });
    assert.deepEqual(readdirSync(empty), []);
    writeMaskStrategyPackage(empty, '/checkout', 'mask:ok');
    assert.ok(existsSync(join(empty, 'src', 'ok.spec.ts')));
  });
});
