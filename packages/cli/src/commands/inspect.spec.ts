import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSafetensors } from '@lookright/engine';
import { fixturePath } from '@lookright/test-support/fixtures';
import { relativeError } from '@lookright/test-support/relative-error';
import { runCli } from '@lookright/test-support/run-cli';

describe('lookright inspect hidden-states', function () {
  this.timeout(300_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'lookright-inspect-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  function inspectAndCompare(dir: string, args: string[], prefix: string): void {
    const out = join(tmp, `${prefix || 'plain'}-${Math.random().toString(36).slice(2)}.safetensors`);
    const inputs = join(dir, 'outputs.safetensors');
    const { status, stderr, stdout } = runCli(['inspect', 'hidden-states', '--inputs', inputs, '--out', out, ...args], {
      timeoutMs: 280_000,
    });
    assert.equal(status, 0, stderr);
    assert.match(stderr, /backend: wasm/);
    assert.match(stdout, /last_hidden_state, layer_out\.0/);
    const ours = readSafetensors(out);
    const ref = readSafetensors(inputs);
    assert.deepEqual([...ours.keys()].sort(), [
      'last_hidden_state',
      'layer_out.0',
      'layer_out.1',
      'layer_out.2',
      'layer_out.3',
    ]);
    for (const [name, t] of ours) {
      assert.equal(t.storedDtype, 'F32');
      const expected = ref.get(`${prefix}${name}`)!;
      assert.deepEqual(t.shape, expected.shape);
      const e = relativeError(t.data as Float32Array, expected.data as Float32Array);
      assert.ok(e <= 1e-4, `${prefix}${name}: ${e.toExponential(2)}`);
    }
  }

  it('reproduces masked.0101.* of mistral-tiny from its outputs.safetensors (--mask per layer)', function () {
    const dir = fixturePath(this, 'hf-tiny', 'mistral-tiny');
    inspectAndCompare(dir, ['--model', dir, '--mask', '0101', '--backend', 'wasm'], 'masked.0101.');
  });

  it('applies a PEFT adapter (--adapter) and a mask plugin name (--mask mask:bidirectional)', function () {
    const dir = fixturePath(this, 'peft', 'llama-tiny-lora');
    const base = fixturePath(this, 'hf-tiny', 'llama-tiny');
    inspectAndCompare(
      dir,
      ['--model', base, '--adapter', dir, '--mask', 'mask:bidirectional', '--backend', 'wasm'],
      'masked.1111.',
    );
  });

  it('names the missing tensor of a bad inputs file', function () {
    const dir = fixturePath(this, 'hf-tiny', 'llama-tiny');
    const { status, stderr } = runCli([
      'inspect',
      'hidden-states',
      '--model',
      dir,
      '--inputs',
      join(dir, 'model.safetensors'),
      '--out',
      join(tmp, 'never.safetensors'),
      '--backend',
      'wasm',
    ]);
    assert.notEqual(status, 0);
    assert.match(stderr, /model\.safetensors: tensor input_ids is missing/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  });
});
