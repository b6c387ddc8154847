import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  expandMaskAxis,
  loadRegistry,
  maskSpecsToString,
  readSuitePluginList,
  validateSuiteFile,
} from '@lookright/core';
import { fixturePath } from '@lookright/test-support/fixtures';
import { runCli } from '@lookright/test-support/run-cli';
import { alternatingMask } from './alternating.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const ctx = { baseDir: exampleDir, env: {}, log: () => {} };

describe('docs example: mask:alternating', function () {
  this.timeout(300_000);

  it('alternates blocks of `period` layers, starting with `first` at the input', async () => {
    const specs = async (params: object, numLayers: number) =>
      maskSpecsToString((await alternatingMask.create(params as never, ctx)).layerSpecs(numLayers));
    assert.equal(await specs({}, 4), '1010');
    assert.equal(await specs({ period: 2 }, 8), '11001100');
    assert.equal(await specs({ first: 'causal' }, 5), '01010');
    assert.equal(await specs({ period: 3 }, 4), '1110');
  });

  it('refuses a period that leaves nothing to alternate, naming the param', async () => {
    const strategy = await alternatingMask.create({ period: 4, first: 'bidirectional' }, ctx);
    assert.throws(() => strategy.layerSpecs(4), {
      code: 'MASK_ALTERNATING_PERIOD',
      message: /params\.period = 4, but the model has only 4 layers/,
    });
  });

  describe('loaded through a suite', () => {
    let tmp: string;
    before(() => {
      tmp = mkdtempSync(join(tmpdir(), 'lookright-alternating-'));
    });
    after(() => rmSync(tmp, { recursive: true, force: true }));

    /** Writes a suite next to nothing but itself; its plugins: entry points back at the example package. */
    function writeSuite(maskEntries: string[]): string {
      const file = join(tmp, `suite-${Math.random().toString(36).slice(2)}.yaml`);
      const lines = [
        'name: alternating-demo',
        'plugins:',
        `  - ./${relative(tmp, exampleDir)}`,
        'axes:',
        '  backbone: [{ id: backbone:llama, params: { model: meta-llama/Llama-2-7b-hf } }]',
        '  mask:',
        ...maskEntries.map((entry) => `    - ${entry}`),
        '  dataset: [dataset:conll2003]',
      ];
      writeFileSync(file, `${lines.join('\n')}\n`);
      return file;
    }

    it('is found from the plugins: list, validated, and gives one spec per layer', async () => {
      const file = writeSuite(['{ id: mask:alternating, params: { period: 8 } }', '"0101"']);
      const registry = await loadRegistry({ extra: readSuitePluginList(file), baseDir: dirname(file) });
      assert.equal(registry.get('mask:alternating').origin.packageName, 'lookright-mask-alternating');
      const suite = validateSuiteFile(file, registry);
      const [ref] = expandMaskAxis(suite.axes.mask, registry);
      assert.equal(ref.id, 'mask:alternating');
      const strategy = await registry.create('mask', ref, ctx);
      assert.equal(strategy.label, 'alternating:8');
      assert.equal(maskSpecsToString(strategy.layerSpecs(32)), '11111111000000001111111100000000');
    });

    it('gets its params checked by the suite validator, with the line', async () => {
      const file = writeSuite(['{ id: mask:alternating, params: { period: two } }']);
      const registry = await loadRegistry({ extra: readSuitePluginList(file), baseDir: dirname(file) });
      assert.throws(() => validateSuiteFile(file, registry), {
        name: 'SuiteValidationError',
        message: /:7:\d+ at \/axes\/mask\/0\/params\/period: expected a value that must be integer, found "two"/,
      });
    });
  });

  it('passes audit-mask on llama-tiny when given with --plugin', function () {
    const model = fixturePath(this, 'hf-tiny', 'llama-tiny');
    const { status, stdout, stderr } = runCli(
      ['audit-mask', '--model', model, '--mask', 'mask:alternating', '--plugin', exampleDir, '--json'],
      { timeoutMs: 280_000 },
    );
    assert.equal(status, 0, stderr);
    const report = JSON.parse(stdout) as { ok: boolean; layers: { observed: string }[] };
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.layers.map((l) => l.observed),
      ['bidirectional', 'causal', 'bidirectional', 'causal'],
    );
  });
});
