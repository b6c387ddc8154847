import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStore } from '../../packages/harness/src/store/run-store.js';
import { dataPath, fixturePath } from '../support/fixtures.js';
import { repoRoot, runCli } from '../support/run-cli.js';

/**
 * A researcher's path with `lookright new mask-strategy`: a package written into an empty folder outside the
 * repository, with no node_modules and no install, is tested, audited and run in a suite.
 */
describe('lookright new mask-strategy, in a folder outside the repository', function () {
  this.timeout(600_000);
  let outside: string;
  let packageDir: string;

  before(() => {
    outside = mkdtempSync(join(tmpdir(), 'lookright-new-strategy-'));
    packageDir = join(outside, 'share-probe');
    const { status, stdout, stderr } = runCli(['new', 'mask-strategy', packageDir, '--id', 'mask:share-probe']);
    assert.equal(status, 0, stderr);
    assert.match(stdout, /wrote mask:share-probe to /);
  });
  after(() => rmSync(outside, { recursive: true, force: true }));

  it('writes descriptor, errors, bindings, index, spec and README, and nothing to install', () => {
    assert.deepEqual(readdirSync(packageDir).sort(), ['README.md', 'package.json', 'src', 'tsconfig.json']);
    assert.deepEqual(readdirSync(join(packageDir, 'src')).sort(), [
      'errors.ts',
      'index.ts',
      'module.ts',
      'share-probe.spec.ts',
      'share-probe.ts',
    ]);
    assert.equal(existsSync(join(packageDir, 'node_modules')), false);
  });

  it('refuses a folder that holds files, and test-plugin a folder that is no plugin package, without a stack', () => {
    const again = runCli(['new', 'mask-strategy', packageDir]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /error: .*share-probe already exists and is not empty; nothing was written/);
    const notPlugin = runCli(['test-plugin', join(packageDir, 'src')]);
    assert.equal(notPlugin.status, 1);
    assert.match(notPlugin.stderr, /error: .*src has no package\.json with a "lookright": \{"plugin": \.\.\.\} field/);
    for (const { stderr } of [again, notPlugin]) assert.doesNotMatch(stderr, /\n\s+at /);
  });

  it("passes its own spec through `test-plugin`, with lookright's @lookright/core and inversify", () => {
    const { status, stdout, stderr } = runCli(['test-plugin', packageDir], { timeoutMs: 300_000 });
    assert.equal(status, 0, `${stdout}\n${stderr}`);
    assert.match(stdout, /3 passing/);
    assert.doesNotMatch(stdout, /failing/);
  });

  it('is lint-clean under the repository biome config and type-checks with its own tsconfig', () => {
    const bin = (name: string) => join(repoRoot, 'node_modules', '.bin', name);
    const lint = spawnSync(bin('biome'), ['check', `--config-path=${join(repoRoot, 'biome.json')}`, packageDir], {
      encoding: 'utf8',
    });
    assert.equal(lint.status, 0, `${lint.stdout}${lint.stderr}`);
    const types = spawnSync(bin('tsc'), ['-p', packageDir], { encoding: 'utf8' });
    assert.equal(types.status, 0, `${types.stdout}${types.stderr}`);
  });

  it('is accepted by audit-mask --plugin: a real model applies the masks it declares', function () {
    const model = fixturePath(this, 'hf-tiny', 'llama-tiny');
    const { status, stdout, stderr } = runCli(
      ['audit-mask', '--model', model, '--mask', 'mask:share-probe', '--plugin', packageDir, '--json'],
      { timeoutMs: 300_000 },
    );
    assert.equal(status, 0, stderr);
    const report = JSON.parse(stdout) as { ok: boolean; layers: { observed: string }[] };
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.layers.map((layer) => layer.observed),
      ['bidirectional', 'bidirectional', 'causal', 'causal'],
    );
  });

  it('runs to FINISHED cells in a suite that lists it under plugins:', function () {
    const model = dataPath(this, 'tiny_checkpoints', 'stories260K_hf');
    dataPath(this, 'conll2003', 'eng.train');
    const suiteFile = join(outside, 'suite.yaml');
    writeFileSync(
      suiteFile,
      `name: share-probe
plugins: [./share-probe]
recipe: {epochs: 1, maxSteps: 3, batchSize: 8, gradientAccumulation: 1, maxLength: 32, trainLimit: 24, devLimit: 16, testLimit: 16, lora: false, learningRate: 0.003}
axes:
  backbone: [{id: backbone:llama, params: {model: ${JSON.stringify(model)}}}]
  mask:
    - mask:share-probe
    - {id: mask:share-probe, params: {share: 0.25, from: output}}
  dataset: [{id: dataset:conll2003, params: {task: ner}}]
  seed: [1]
`,
    );
    const storeDir = join(outside, 'runs');
    const run = runCli(['run', suiteFile, '--store', storeDir, '--workers', '2'], { timeoutMs: 580_000 });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const store = RunStore.open(storeDir);
    try {
      const cells = store.queries.suiteCells('share-probe');
      assert.equal(cells.length, 2);
      for (const cell of cells) {
        assert.equal(cell.status, 'FINISHED', JSON.stringify(cell.attempt));
        assert.equal(cell.metrics.steps, 3);
      }
      // each cell's log names the strategy's label and the layer pattern it trained with (stories260K: 5 layers)
      const logs = cells.map((cell) => readFileSync(cell.attempt?.logPath ?? '', 'utf8')).join('\n');
      assert.match(logs, /mask share-probe:0\.5:input: 11100\n/);
      assert.match(logs, /mask share-probe:0\.25:output: 00001\n/);
    } finally {
      store.close();
    }
  });
});
