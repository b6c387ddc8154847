import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistry, type PluginRegistry, validateSuiteText } from '@lookright/core';
import { fixturePath } from '@lookright/test-support/fixtures';
import { expandSuite } from './expand-suite.js';

const runner = { id: 'runner:test', version: '1' };
const fingerprint = async () => ({ files: [], trainSentences: 1 });

describe('suite expansion checks each backbone × mask pair (Backbone.checkMasks)', function () {
  this.timeout(120_000);
  let registry: PluginRegistry;
  let tmp: string;
  let llama: string;
  let bert: string;
  before(async function () {
    llama = fixturePath(this, 'hf-tiny', 'llama-tiny');
    bert = fixturePath(this, 'hf-tiny', 'bert-tiny');
    registry = await loadRegistry({ baseDir: process.cwd() });
    tmp = mkdtempSync(join(tmpdir(), 'lookright-mask-pairs-'));
  });
  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  async function expand(extra: string, env: Record<string, string> = {}) {
    const file = join(tmp, 'suite.yaml');
    const text = `name: mixed
axes:
  backbone:
    - {id: backbone:llama, name: llama, params: {model: "${llama}"}}
    - {id: backbone:bert, name: bert, params: {model: "${bert}"}}
  mask: [mask:causal, "0011", mask:bidirectional]
  dataset: [{id: dataset:conll2003, params: {task: ner}}]
${extra}`;
    writeFileSync(file, text);
    const suite = validateSuiteText(file, text, registry);
    const lines: string[] = [];
    const cells = await expandSuite(suite, {
      registry,
      suiteFile: file,
      runner,
      env,
      fingerprint,
      log: (l) => lines.push(l),
    });
    return { cells, lines };
  }

  it('refuses an encoder paired with causal or group masks, saying why and how to filter', async () => {
    await assert.rejects(expand(''), (e: Error & { code?: string; hint?: string }) => {
      assert.equal(e.code, 'SUITE_MASK_NOT_APPLICABLE');
      assert.match(e.message, /bert × causal: an encoder's attention is always bidirectional; use mask:bidirectional/);
      assert.match(e.message, /bert × groups:0011: /);
      assert.doesNotMatch(e.message, /llama ×/, 'decoders take every mask');
      assert.doesNotMatch(e.message, /bert × bidirectional/);
      assert.match(e.hint ?? '', /include:/);
      return true;
    });
  });

  it('expands an encoder and a decoder on the same axes once include: keeps the encoder bidirectional', async () => {
    const { cells } = await expand('include:\n  - {backbone: llama}\n  - {backbone: bert, mask: mask:bidirectional}\n');
    assert.deepEqual(
      cells.map((c) => `${c.labels.backbone} × ${c.labels.mask}`),
      ['llama × causal', 'llama × groups:0011', 'llama × bidirectional', 'bert × bidirectional'],
    );
  });

  it('downloads nothing: a hub backbone that is not cached is checked when its cells run, and says so', async () => {
    const file = join(tmp, 'hub.yaml');
    const text = `name: hub
axes:
  backbone: [{id: backbone:bert, name: remote, params: {model: nobody-here/not-cached-bert}}]
  mask: [mask:causal]
  dataset: [{id: dataset:conll2003, params: {task: ner}}]
`;
    writeFileSync(file, text);
    const suite = validateSuiteText(file, text, registry);
    const lines: string[] = [];
    const env = { HF_HOME: join(tmp, 'empty-hf-home') };
    const cells = await expandSuite(suite, {
      registry,
      suiteFile: file,
      runner,
      env,
      fingerprint,
      log: (l) => lines.push(l),
    });
    assert.equal(cells.length, 1);
    assert.ok(
      lines.some((l) => /masks of remote are checked when its cells run: .*not in the Hugging Face cache/.test(l)),
      lines.join('\n'),
    );
  });
});
