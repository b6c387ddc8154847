import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTempPluginPackage } from '../../packages/core/src/testing/temp-plugin-package.js';
import { repoRoot, runCli } from '../support/run-cli.js';

describe('lookright CLI', () => {
  it('plugins list --json prints {id, kind, package, summary} for every installed plugin', () => {
    const { status, stdout, stderr } = runCli(['plugins', 'list', '--json']);
    assert.equal(status, 0, stderr);
    const rows = JSON.parse(stdout) as Record<string, string>[];
    assert.ok(Array.isArray(rows));
    for (const row of rows) {
      assert.deepEqual(Object.keys(row).sort(), ['id', 'kind', 'package', 'summary']);
      assert.match(row.id, new RegExp(`^${row.kind}:`));
    }
    const inputs = rows.filter((r) => r.kind === 'input').map((r) => [r.id, r.package]);
    assert.deepEqual(inputs.sort(), [
      ['input:identity', '@lookright/plugin-inputs'],
      ['input:repeat', '@lookright/plugin-inputs'],
    ]);
  });

  it('prints --help for every command', () => {
    for (const args of [[], ['plugins'], ['plugins', 'list'], ['plugins', 'describe'], ['validate']]) {
      const { status, stdout } = runCli([...args, '--help']);
      assert.equal(status, 0);
      assert.match(stdout, /Usage: lookright/);
    }
  });

  it('prints the lookright version (packages/cli/package.json) with --version and -V', () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'packages', 'cli', 'package.json'), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const { status, stdout, stderr } = runCli([flag]);
      assert.equal(status, 0, stderr);
      assert.equal(stdout.trim(), version);
    }
  });

  it('refuses a YAML alias bomb and an oversized suite with a typed error naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookright-limits-'));
    const bomb = join(dir, 'bomb.yaml');
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(`*${i === 1 ? 'a' : `l${i - 1}`}`)}]`);
    writeFileSync(bomb, `name: bomb\n${levels.join('\n')}\n`);
    const bombed = runCli(['validate', bomb]);
    assert.equal(bombed.status, 1);
    assert.match(bombed.stderr, new RegExp(`^error: ${bomb}: YAML aliases expand too far`));
    assert.doesNotMatch(bombed.stderr, /internal error/);
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `name: big\n${'# padding\n'.repeat(30_000)}`);
    const refused = runCli(['validate', big]);
    assert.equal(refused.status, 1);
    assert.match(
      refused.stderr,
      new RegExp(`^error: suite ${big} is 300010 bytes; a suite file may be at most 262144 bytes \\(256 KiB\\)`),
    );
  });

  it('suggests a command for a typo and exits non-zero', () => {
    const { status, stderr } = runCli(['plugins', 'lst']);
    assert.notEqual(status, 0);
    assert.match(stderr, /Did you mean list\?/);
  });

  describe('validate, with a plugin package from outside the repo', () => {
    const { root } = writeTempPluginPackage('lookright-plugin-cli-test', [
      {
        id: 'mask:outside',
        kind: 'mask',
        paramsSchema: { type: 'object', additionalProperties: false, properties: { k: { type: 'integer' } } },
      },
      { id: 'backbone:outside', kind: 'backbone' },
      { id: 'dataset:outside', kind: 'dataset' },
    ]);
    const write = (text: string) => {
      const file = join(root, 'suite.yaml');
      writeFileSync(file, text);
      return file;
    };
    const suite = (mask: string) =>
      `name: cli-test\nplugins: [lookright-plugin-cli-test]\naxes:\n  backbone: [backbone:outside]\n  mask:\n    - ${mask}\n  dataset: [dataset:outside]\n  head: [head:linear]\n`;

    it('accepts a valid suite', () => {
      const { status, stdout, stderr } = runCli(['validate', write(suite('{ id: mask:outside, params: { k: 3 } }'))]);
      assert.equal(status, 0, stderr);
      assert.match(stdout, /valid suite cli-test/);
    });

    it('names the line, the path and the nearest id for an unknown plugin, without a stack trace', () => {
      const file = write(suite('mask:outsid'));
      const { status, stderr } = runCli(['validate', file]);
      assert.equal(status, 1);
      assert.match(stderr, new RegExp(`${file}:6:7 at /axes/mask/0/id: expected .*did you mean mask:outside\\?`));
      assert.doesNotMatch(stderr, /\n\s+at /);
    });

    it('names the line of a wrong param type and of an extra key', () => {
      const { status, stderr } = runCli([
        'validate',
        write(`${suite('{ id: mask:outside, params: { k: x } }')}extra: 1\n`),
      ]);
      assert.equal(status, 1);
      assert.match(
        stderr,
        /suite\.yaml:6:\d+ at \/axes\/mask\/0\/params\/k: expected a value that must be integer, found "x"/,
      );
      assert.match(stderr, /suite\.yaml:9:1 at \/extra: .*found unknown key extra/);
    });

    it('shows the stack only with --debug', () => {
      const { stderr } = runCli(['validate', join(root, 'missing.yaml'), '--debug']);
      assert.match(stderr, /cannot read suite/);
      assert.match(stderr, /\n\s+at /);
    });
  });
});
