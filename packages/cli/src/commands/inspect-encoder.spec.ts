import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensors } from '@lookright/engine';
import { fixturePath } from '@lookright/test-support/fixtures';
import { relativeError } from '@lookright/test-support/relative-error';
import { runCli } from '@lookright/test-support/run-cli';

describe('lookright inspect hidden-states on encoders', function () {
  this.timeout(300_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'lookright-inspect-encoder-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  for (const name of ['bert-tiny', 'roberta-tiny']) {
    it(`writes last_hidden_state, hidden_states.<k> and pooler_output of ${name} equal to transformers'`, function () {
      const dir = fixturePath(this, 'hf-tiny', name);
      const inputs = join(dir, 'outputs.safetensors');
      const out = join(tmp, `${name}.safetensors`);
      const { status, stderr, stdout } = runCli(
        ['inspect', 'hidden-states', '--model', dir, '--inputs', inputs, '--out', out, '--backend', 'wasm'],
        { timeoutMs: 280_000 },
      );
      assert.equal(status, 0, stderr);
      assert.match(stdout, /last_hidden_state, hidden_states\.0, hidden_states\.1, hidden_states\.2, pooler_output/);
      assert.match(stdout, /masks 11/);
      const ours = readSafetensors(out);
      const ref = readSafetensors(inputs);
      assert.deepEqual([...ours.keys()].sort(), [
        'hidden_states.0',
        'hidden_states.1',
        'hidden_states.2',
        'last_hidden_state',
        'pooler_output',
      ]);
      for (const [key, t] of ours) {
        const expected = ref.get(key)!;
        assert.deepEqual(t.shape, expected.shape, key);
        const e = relativeError(t.data as Float32Array, expected.data as Float32Array);
        assert.ok(e <= 1e-4, `${name} ${key}: ${e.toExponential(2)}`);
      }
    });
  }

  it('refuses a causal mask on an encoder with the reason, and no stack trace', function () {
    const dir = fixturePath(this, 'hf-tiny', 'bert-tiny');
    const { status, stderr } = runCli([
      'inspect',
      'hidden-states',
      '--model',
      dir,
      '--inputs',
      join(dir, 'outputs.safetensors'),
      '--out',
      join(tmp, 'never.safetensors'),
      '--mask',
      '01',
      '--backend',
      'wasm',
    ]);
    assert.notEqual(status, 0);
    assert.match(stderr, /layer 0 was given a causal mask, but an encoder's attention is always bidirectional/);
    assert.match(stderr, /mask:bidirectional/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  });
});
