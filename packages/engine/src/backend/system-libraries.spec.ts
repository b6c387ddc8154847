import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSharedLibrary, vulkanIcdFiles } from './system-libraries.js';

describe('system libraries a WebGPU adapter needs', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lookright-libs-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a shared library on LD_LIBRARY_PATH and reports one that is nowhere', () => {
    writeFileSync(join(dir, 'libvulkan.so.1'), '');
    assert.equal(findSharedLibrary('libvulkan.so.1', { LD_LIBRARY_PATH: dir }), join(dir, 'libvulkan.so.1'));
    assert.equal(findSharedLibrary('liblookright-no-such-library.so.9', { LD_LIBRARY_PATH: dir }), undefined);
  });

  it('lists the Vulkan ICD files of the given folders, skipping absent folders', () => {
    const icd = join(dir, 'icd.d');
    mkdirSync(icd);
    writeFileSync(join(icd, 'nvidia_icd.json'), '{}');
    writeFileSync(join(icd, 'lvp_icd.x86_64.json'), '{}');
    writeFileSync(join(icd, 'README'), '');
    assert.deepEqual(vulkanIcdFiles([icd, join(dir, 'absent')]).sort(), [
      join(icd, 'lvp_icd.x86_64.json'),
      join(icd, 'nvidia_icd.json'),
    ]);
  });
});
