import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lookrightRoot } from '../load-registry.js';
import { installSharedDependencyResolution } from './install.js';

/** Writes `files` (path -> text) under `dir`. */
function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

const probe =
  "import * as shared from 'inversify';\nexport const hasMarker = 'marker' in shared;\nexport const hasContainerModule = typeof shared.ContainerModule === 'function';\n";

describe('shared-dependency resolution for plugin packages outside the checkout', () => {
  let outside: string;
  before(() => {
    outside = mkdtempSync(join(tmpdir(), 'lookright-shared-deps-'));
    writeTree(outside, {
      'bare/package.json': '{"type": "module"}',
      'bare/probe.js': probe,
      'bare/core-probe.js': "export { LookrightError } from '@lookright/core';\n",
      'bare/missing.js': "export * from 'not-a-lookright-dependency';\n",
      'own/package.json': '{"type": "module"}',
      'own/probe.js': probe,
      'own/node_modules/inversify/package.json': '{"name": "inversify", "type": "module", "exports": "./index.js"}',
      'own/node_modules/inversify/index.js': "export const marker = 'own copy';\n",
    });
    installSharedDependencyResolution(lookrightRoot());
  });
  after(() => rmSync(outside, { recursive: true, force: true }));

  const load = (path: string) => import(pathToFileURL(join(outside, path)).href);

  it("gives a folder with no node_modules lookright's inversify and @lookright/core", async () => {
    const { hasMarker, hasContainerModule } = await load('bare/probe.js');
    assert.equal(hasMarker, false);
    assert.equal(hasContainerModule, true);
    const { LookrightError } = await load('bare/core-probe.js');
    const core = await import('@lookright/core');
    assert.equal(LookrightError, core.LookrightError, 'the same module instance lookright itself uses');
  });

  it("leaves a package's own installed copy in charge", async () => {
    const { hasMarker } = await load('own/probe.js');
    assert.equal(hasMarker, true);
  });

  it('does not resolve packages lookright does not provide', async () => {
    await assert.rejects(load('bare/missing.js'), { code: 'ERR_MODULE_NOT_FOUND' });
  });
});
