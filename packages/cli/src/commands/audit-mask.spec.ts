import assert from 'node:assert/strict';
import { fixturePath } from '@lookright/test-support/fixtures';
import { runCli } from '@lookright/test-support/run-cli';

describe('lookright audit-mask', function () {
  this.timeout(300_000);

  it('prints the documented JSON and exits 0 when every layer does what 0101 declares (mistral-tiny)', function () {
    const dir = fixturePath(this, 'hf-tiny', 'mistral-tiny');
    const { status, stdout, stderr } = runCli(['audit-mask', '--model', dir, '--mask', '0101', '--json'], {
      timeoutMs: 280_000,
    });
    assert.equal(status, 0, stderr);
    const report = JSON.parse(stdout) as {
      layers: { layer: number; declared: string; observed: string; ok: boolean }[];
      paddingOk: boolean;
      ok: boolean;
    };
    assert.equal(report.ok, true);
    assert.equal(report.paddingOk, true);
    assert.deepEqual(
      report.layers.map((l) => [l.layer, l.declared, l.observed, l.ok]),
      [
        [0, 'causal', 'causal', true],
        [1, 'bidirectional', 'bidirectional', true],
        [2, 'causal', 'causal', true],
        [3, 'bidirectional', 'bidirectional', true],
      ],
    );
  });

  it('prints the table for a plugin mask', function () {
    const dir = fixturePath(this, 'hf-tiny', 'llama-tiny');
    const { status, stdout, stderr } = runCli(['audit-mask', '--model', dir, '--mask', 'mask:last-k:k=1'], {
      timeoutMs: 280_000,
    });
    assert.equal(status, 0, stderr);
    assert.match(stdout, /^layer\s+declared\s+observed\s+ok$/m);
    assert.match(stdout, /^3\s+bidirectional\s+bidirectional\s+ok$/m);
    assert.match(stdout, /^padding: ok/m);
  });

  it('exits non-zero with a typed error when the mask does not fit the model', function () {
    const dir = fixturePath(this, 'hf-tiny', 'llama-tiny');
    const { status, stderr } = runCli(['audit-mask', '--model', dir, '--mask', '010'], { timeoutMs: 280_000 });
    assert.equal(status, 1);
    assert.match(stderr, /error: mask:groups: params\.pattern "010" asks for 3 equal groups, but 4 layers/);
    assert.match(stderr, /hint: Use a pattern of 1, 2 or 4 characters/);
  });
});
