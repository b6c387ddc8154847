import assert from 'node:assert/strict';
import { LookrightError } from '@lookright/core';
import { dataPath } from '@lookright/test-support/fixtures';
import { readProvenance, rowOf, tableRows } from '../testing/provenance.js';
import { tempDir } from '../testing/temp-files.js';
import { readTextFile } from './text-file.js';

function code(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof LookrightError, String(e));
    return { code: e.code, message: e.message };
  }
  assert.fail('expected an error');
}

describe('readTextFile', () => {
  const tmp = tempDir('text-file');
  after(() => tmp.remove());

  it('refuses CR LF by default, naming the first such line', () => {
    const file = tmp.write('crlf.txt', 'a O\r\nb O\r\n');
    const err = code(() => readTextFile(file));
    assert.equal(err.code, 'DATASET_CRLF');
    assert.ok(err.message.startsWith(`${file}:1:`), err.message);
  });

  it("strips CR before LF with lineEndings 'any', but never a CR inside a line", () => {
    assert.deepEqual(readTextFile(tmp.write('crlf2.txt', 'a O\r\n\r\nb O\r\n'), 'any').lines, ['a O', '', 'b O']);
    const inner = tmp.write('cr-inside.txt', 'a O\nb\rO\n');
    const err = code(() => readTextFile(inner, 'any'));
    assert.equal(err.code, 'DATASET_STRAY_CHARACTER');
    assert.ok(err.message.includes(`${inner}:2:2`), err.message);
  });

  it('refuses a Latin-1 file with the line and column of the first invalid byte', () => {
    const file = tmp.write('latin1.txt', Buffer.from('Zurich O\nZ\xfcrich B-LOC\n', 'latin1'));
    const err = code(() => readTextFile(file));
    assert.equal(err.code, 'DATASET_NOT_UTF8');
    assert.ok(err.message.includes(`${file}:2:2`), err.message);
    assert.ok(err.message.includes('0xfc'), err.message);
  });

  it('refuses control characters and a missing file with typed errors', () => {
    assert.equal(code(() => readTextFile(tmp.write('nul.txt', 'a\u0000 O\n'))).code, 'DATASET_STRAY_CHARACTER');
    assert.equal(code(() => readTextFile(`${tmp.root}/absent.txt`)).code, 'DATASET_FILE_UNREADABLE');
  });

  it('drops a UTF-8 BOM and keeps non-ASCII text', () => {
    const file = tmp.write('bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Zürich B-LOC\n')]));
    assert.deepEqual(readTextFile(file).lines, ['Zürich B-LOC']);
  });

  it('hashes the bytes: eng.testa has the sha256 PROVENANCE gives', function () {
    const provenance = readProvenance(dataPath(this, 'conll2003', 'PROVENANCE.md'));
    const file = readTextFile(dataPath(this, 'conll2003', 'eng.testa'));
    assert.equal(file.sha256, rowOf(tableRows(provenance, 'file'), 'file', 'eng.testa').sha256);
  });
});
