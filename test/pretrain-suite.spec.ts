import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPath } from './support/fixtures.js';
import { runCli } from './support/run-cli.js';

/**
 * A suite with one CLM and one MLM backbone pre-trained by their own cells (micro size, 20 steps on the first
 * 20,000 characters of Gutenberg), fine-tuned on a small synthetic task: the CLM decoder under 2 masks, the MLM
 * encoder bidirectional only, 1 seed.
 */
function pretrainSuite(clmSteps = 20, seeds = '[1]'): string {
  const recipe = (objective: string, steps: number) =>
    `{ pretrain: { objective: ${objective}, size: micro, steps: ${steps}, corpus: "\${LOOKRIGHT_DATA_DIR}/gutenberg_nltk", maxChars: 20000, seqLen: 32, batchSize: 4 } }`;
  return `name: pretrain-e2e
recipe: { epochs: 1, batchSize: 16, learningRate: 0.003, maxLength: 16, lora: false }
axes:
  backbone:
    - { id: backbone:llama, name: clm-micro, params: ${recipe('clm', clmSteps)} }
    - { id: backbone:bert, name: mlm-micro, params: ${recipe('mlm', 20)} }
  mask: [mask:causal, mask:bidirectional]
  dataset:
    - { id: dataset:synthetic, name: synth, params: { task: right, distance: 2, length: 8, train: 200, dev: 50, test: 50, vocabSize: 60, names: 20, seed: 1 } }
  head: [head:linear]
  seed: ${seeds}
exclude:
  - { backbone: mlm-micro, mask: mask:causal }
`;
}

/** What a cell's output folder in the store holds: its resolved config, as the worker wrote it. */
interface StoredConfig {
  kind?: 'pretrain';
  backbone: { label: string; pretrained?: { cell: string; dir: string; files: { name: string; sha256: string }[] } };
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The hashes a dry run lists, in its order, with the label text of their line. */
function listedCells(stdout: string): { hash: string; line: string }[] {
  return [...stdout.matchAll(/^ *P?\d+ {2}([0-9a-f]{10}) {2}.*$/gm)].map((m) => ({ hash: m[1], line: m[0] }));
}

describe('pre-training cells inside a suite, end to end through the local pool', function () {
  this.timeout(10 * 60_000);
  let dir: string;
  let suiteFile: string;
  let storeDir: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(args, { env, timeoutMs: 9 * 60_000 });
  const run = () => cli('run', suiteFile, '--store', storeDir, '--workers', '2');
  const dryRun = () => cli('run', suiteFile, '--store', storeDir, '--dry-run', '--no-calibrate');
  /** Every cell folder of the store by full hash, with the config its worker ran. */
  const storedCells = () => {
    const cells = new Map<string, { dir: string; config: StoredConfig }>();
    for (const prefix of readdirSync(join(storeDir, 'cells')))
      for (const hash of readdirSync(join(storeDir, 'cells', prefix))) {
        const file = join(storeDir, 'cells', prefix, hash, 'output', 'cell-config.json');
        if (existsSync(file))
          cells.set(hash, {
            dir: join(storeDir, 'cells', prefix, hash),
            config: JSON.parse(readFileSync(file, 'utf8')),
          });
      }
    return cells;
  };

  before(function () {
    dataPath(this, 'gutenberg_nltk');
    dir = mkdtempSync(join(tmpdir(), 'lookright-pretrain-suite-'));
    suiteFile = join(dir, 'suite.yaml');
    storeDir = join(dir, 'store');
    writeFileSync(suiteFile, pretrainSuite());
    env = { LOOKRIGHT_CACHE_DIR: join(dir, 'cache') };
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('lists the pre-training cells first in a dry run, with an estimate', () => {
    const dry = dryRun();
    assert.equal(dry.status, 0, dry.stderr);
    const listed = listedCells(dry.stdout);
    assert.equal(listed.length, 5, dry.stdout);
    assert.match(listed[0].line, /^ +P1 .* new +\d+s +clm-micro \(clm, micro, 20 × 4 × 32\) on gutenberg_nltk$/);
    assert.match(listed[1].line, /^ +P2 .* mlm-micro \(mlm, micro, 20 × 4 × 32\)/);
    for (const { line } of listed.slice(2))
      assert.match(line, /^ +\d+ .* (clm|mlm)-micro × (causal|bidirectional) × synth/);
    assert.match(dry.stdout, /5 cells \(valid\): 2 pre-training, run first, then 3 fine-tuning/);
  });

  it('pre-trains each backbone once, then fine-tunes every cell on its checkpoint', () => {
    const first = run();
    assert.equal(first.status, 0, first.stdout + first.stderr);
    assert.match(first.stdout, /5\/5 FINISHED, 0 FAILED/);
    assert.match(first.stdout, /report of 3 finished cells/, 'the report leaves the pre-training cells out');
    const csv = readFileSync(join(storeDir, 'reports', 'pretrain-e2e', 'results.csv'), 'utf8')
      .trim()
      .split('\n');
    assert.equal(csv.length, 1 + 3, csv.join('\n'));
    assert.ok(!csv.some((row) => row.includes('pretrain:')), 'no pre-training row among the F1 results');
    for (const backbone of ['clm-micro', 'mlm-micro'])
      assert.match(
        first.stdout,
        new RegExp(`pre-training [0-9a-f]{10} ${backbone} .*: final loss [\\d.]+, validation loss [\\d.]+ -> [\\d.]+`),
      );
    const cells = storedCells();
    const pretrain = [...cells].filter(([, c]) => c.config.kind === 'pretrain');
    assert.equal(pretrain.length, 2);
    for (const [hash, cell] of pretrain) {
      const log = readFileSync(join(cell.dir, 'cell.log'), 'utf8');
      assert.equal(log.match(/runner:pretrain@/g)?.length, 1, `${hash} pre-trained once`);
      const result = JSON.parse(readFileSync(join(cell.dir, 'output', 'checkpoint', 'pretrain.json'), 'utf8'));
      assert.ok(result.validationLoss.after < result.validationLoss.before, JSON.stringify(result.validationLoss));
      assert.equal(result.maskAudit.ok, true);
    }
    const fineTune = [...cells].filter(([, c]) => c.config.kind === undefined);
    assert.equal(fineTune.length, 3);
    for (const [hash, cell] of fineTune) {
      const used = cell.config.backbone.pretrained;
      const maker = pretrain.find(([, p]) => p.config.backbone.label === cell.config.backbone.label);
      assert.ok(used && maker, `${hash} names its pre-training cell`);
      assert.equal(used.cell, maker[0], 'the recorded checkpoint is the pre-training cell of its backbone');
      assert.equal(used.dir, join(maker[1].dir, 'output', 'checkpoint'));
      const weights = used.files.find((f) => f.name === 'model.safetensors');
      assert.equal(weights?.sha256, sha256(join(used.dir, 'model.safetensors')));
      const log = readFileSync(join(cell.dir, 'cell.log'), 'utf8');
      assert.match(log, new RegExp(`backbone: checkpoint of pre-training cell ${maker[0]} at `));
    }
  });

  it('trains nothing when run again; both kinds are FINISHED', () => {
    const again = run();
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /all 5 cells are FINISHED .*; nothing to run/);
    const dry = dryRun();
    assert.equal(listedCells(dry.stdout).filter((c) => / FINISHED /.test(c.line)).length, 5, dry.stdout);
  });

  it('a recipe change changes the pre-training cell and every cell that fine-tunes it, and no other', () => {
    const hashesOf = (stdout: string, backbone: string) =>
      listedCells(stdout)
        .filter((c) => c.line.includes(backbone))
        .map((c) => c.hash);
    const before = dryRun().stdout;
    writeFileSync(suiteFile, pretrainSuite(21));
    const after = dryRun().stdout;
    writeFileSync(suiteFile, pretrainSuite());
    const [clmBefore, clmAfter] = [hashesOf(before, 'clm-micro'), hashesOf(after, 'clm-micro')];
    assert.equal(clmBefore.length, 3, before);
    assert.equal(clmAfter.length, 3, after);
    for (const hash of clmAfter) assert.ok(!clmBefore.includes(hash), `clm hash ${hash} changed`);
    assert.deepEqual(hashesOf(after, 'mlm-micro'), hashesOf(before, 'mlm-micro'), 'the mlm cells keep theirs');
  });

  it('refuses to fine-tune on a checkpoint whose files changed after pre-training', () => {
    const [, clm] = [...storedCells()].find(
      ([, c]) => c.config.kind === 'pretrain' && c.config.backbone.label === 'clm-micro',
    ) as [string, { dir: string }];
    const weights = join(clm.dir, 'output', 'checkpoint', 'model.safetensors');
    const original = readFileSync(weights);
    const changed = Buffer.from(original);
    changed[changed.length - 1] ^= 1;
    writeFileSync(weights, changed);
    writeFileSync(suiteFile, pretrainSuite(20, '[1, 2]'));
    try {
      const result = run();
      assert.notEqual(result.status, 0);
      assert.match(result.stdout, /6\/8 FINISHED, 2 FAILED/, result.stdout);
      const logs = readdirSync(join(storeDir, 'cells'), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('cell.log'))
        .map((f) => readFileSync(join(storeDir, 'cells', f), 'utf8'));
      assert.equal(logs.filter((l) => /FAILED PRETRAINED_CHECKPOINT_CHANGED/.test(l)).length, 2);
    } finally {
      writeFileSync(weights, original);
      writeFileSync(suiteFile, pretrainSuite());
    }
  });
});
