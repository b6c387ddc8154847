import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixturePath } from '@lookright/test-support/fixtures';
import { runCli } from '@lookright/test-support/run-cli';

describe('lookright eval-predictions', () => {
  it('prints conlleval.pl output byte for byte with --scheme conlleval', function () {
    const file = fixturePath(this, 'metrics', 'ner_testa_iob2_heavy.txt');
    const expected = JSON.parse(readFileSync(file.replace(/\.txt$/, '.expected.json'), 'utf8'));
    const { status, stdout, stderr } = runCli(['eval-predictions', file, '--scheme', 'conlleval']);
    assert.equal(status, 0, stderr);
    assert.equal(stdout, expected.conlleval.output);
  });

  it('prints seqeval strict IOB2 scores as JSON fractions with gold support', function () {
    const file = fixturePath(this, 'metrics', 'ner_testa_iob2_light.txt');
    const expected = JSON.parse(readFileSync(file.replace(/\.txt$/, '.expected.json'), 'utf8')).seqeval_strict_IOB2;
    const { status, stdout, stderr } = runCli([
      'eval-predictions',
      file,
      '--scheme',
      'iob2',
      '--mode',
      'strict',
      '--json',
    ]);
    assert.equal(status, 0, stderr);
    const report = JSON.parse(stdout);
    for (const key of ['precision', 'recall', 'f1'] as const) {
      assert.ok(Math.abs(report[key] - expected.micro[key]) <= 1e-9, key);
    }
    assert.deepEqual(
      [report.counts.gold, report.counts.predicted, report.counts.correct],
      [expected.counts.true, expected.counts.pred, expected.counts.tp],
    );
    for (const [type, e] of Object.entries<{ support: number }>(expected.per_type)) {
      assert.equal(report.per_type[type].support, e.support, type);
    }
  });

  it('fails with file:line and a hint on a bad line, and refuses strict conlleval', () => {
    const bad = runCli(['eval-predictions', 'packages/cli/package.json', '--scheme', 'iob2']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /package\.json:1: /);
    assert.match(bad.stderr, /hint: /);
    const strict = runCli(['eval-predictions', 'x.txt', '--scheme', 'conlleval', '--mode', 'strict']);
    assert.equal(strict.status, 1);
    assert.match(strict.stderr, /strict mode needs a tag scheme/);
  });
});
