import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPath, fixturePath } from '../support/fixtures.js';
import { repoRoot, runCli } from '../support/run-cli.js';

describe('the suites shipped in benchmarks/suites', () => {
  const dir = join(repoRoot, 'benchmarks', 'suites');
  const suites = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

  it('include the ids-only example, the quick start and the paper grid', () => {
    for (const name of ['example-ids-only.yaml', 'quickstart.yaml', 'paper-grid.yaml'])
      assert.ok(suites.includes(name), name);
  });

  for (const suite of suites) {
    it(`${suite} validates`, function () {
      // A suite meant to run here (its paths under LOOKRIGHT_DATA_DIR) is validated with its data; the others
      // name 7B hub checkpoints and data not shipped with the tests (ACE05 is licensed), so their data is not read.
      const text = readFileSync(join(dir, suite), 'utf8');
      if (text.includes('LOOKRIGHT_DATA_DIR')) dataPath(this);
      const local = /^[^#\n]*\$\{LOOKRIGHT_DATA_DIR\}/m.test(text);
      const { status, stdout, stderr } = runCli(['validate', ...(local ? [] : ['--no-data']), join(dir, suite)]);
      assert.equal(status, 0, stderr);
      assert.match(stdout, /valid suite/);
    });
  }
});

describe('validate with an encoder and a decoder on one backbone axis', () => {
  const suite = (fixtures: string, extra = '') => `name: mixed
axes:
  backbone:
    - { id: backbone:llama, name: llama-tiny, params: { model: ${fixtures}/hf-tiny/llama-tiny } }
    - { id: backbone:bert, name: bert-tiny, params: { model: ${fixtures}/hf-tiny/bert-tiny } }
  mask: [mask:causal, mask:bidirectional]
  dataset: [dataset:conll2003]
${extra}`;

  it('explains a mask that does not apply to the encoder, and accepts the suite once that pair is excluded', function () {
    const fixtures = fixturePath(this, 'hf-tiny', 'bert-tiny').replace(/\/hf-tiny\/bert-tiny$/, '');
    const dir = mkdtempSync(join(tmpdir(), 'lookright-mixed-'));
    writeFileSync(join(dir, 'suite.yaml'), suite(fixtures));
    const refused = runCli(['validate', join(dir, 'suite.yaml')]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /bert-tiny/);
    assert.match(refused.stderr, /always bidirectional/);
    writeFileSync(join(dir, 'suite.yaml'), suite(fixtures, 'exclude:\n  - { backbone: bert-tiny, mask: causal }\n'));
    const accepted = runCli(['validate', join(dir, 'suite.yaml')]);
    assert.equal(accepted.status, 0, accepted.stderr);
    assert.match(accepted.stdout, /valid suite mixed \(3 cells\)/);
  });
});

describe('validate refuses impossible params of the synthetic quick start, naming the param and what fits', () => {
  const quickstart = readFileSync(join(repoRoot, 'benchmarks', 'suites', 'quickstart.yaml'), 'utf8');
  const cases: [string, RegExp, RegExp][] = [
    [
      'length: 8 ',
      /length: 2 /,
      /dataset:synthetic at \/axes\/dataset\/0\/params: .*param length is 2.*at least 3 words for task right at distance 2/,
    ],
    [
      'num_attention_heads: 4',
      /num_attention_heads: 5/,
      /config\.num_attention_heads 5 does not divide hidden_size 32[\s\S]*a divisor of 32 \(1, 2, 4, 8, 16, 32\)/,
    ],
  ];
  for (const [found, replacement, error] of cases) {
    it(`${replacement.source}: exits 1 with a typed error`, () => {
      assert.ok(quickstart.includes(found), `quickstart.yaml no longer has "${found}"; update this test`);
      const dir = mkdtempSync(join(tmpdir(), 'lookright-impossible-'));
      writeFileSync(join(dir, 'suite.yaml'), quickstart.replace(found, replacement.source));
      const { status, stderr } = runCli(['validate', join(dir, 'suite.yaml')]);
      assert.equal(status, 1, stderr);
      assert.match(stderr, error);
    });
  }
});
