import assert from 'node:assert/strict';
import { bidirectional, causal, type InputTransform, loadRegistry, type PluginContext } from '@lookright/core';
import { assertInputAuditOk, auditInput, formatInputAudit, reachability } from './input-audit.js';

const ctx: PluginContext = { baseDir: process.cwd(), env: {}, log: () => {} };
const llama = { prefix: 1, suffix: 0 };
const bert = { prefix: 1, suffix: 1 };
const allCausal = [causal, causal, causal, causal];

/** A built-in input transform, created as a cell creates it (from the workspace's plugins). */
async function input(id: string, params: Record<string, unknown> = {}): Promise<InputTransform> {
  const registry = await loadRegistry({ baseDir: process.cwd() });
  return registry.create('input', { id, params }, ctx);
}
const repeat = (r: number) => input('input:repeat', { r });

describe('input audit', () => {
  it('follows attention through the layers: causal reaches the left, one open layer reaches everything', () => {
    assert.deepEqual(
      reachability(3, [causal, causal]).map((row) => row.map(Number)),
      [
        [1, 0, 0],
        [1, 1, 0],
        [1, 1, 1],
      ],
    );
    assert.ok(reachability(3, [bidirectional, causal]).every((row) => row.every(Boolean)));
  });

  it('passes input:identity (as masked) and input:repeat (whole sentence, even all causal)', async () => {
    const identity = await input('input:identity');
    for (const specials of [llama, bert]) {
      const plain = auditInput(identity, allCausal, specials);
      assert.ok(plain.ok, formatInputAudit(plain));
      assert.deepEqual(plain.words[0].observed.length, 1, 'the first word sees only itself under causal');
      for (const r of [2, 4]) {
        const report = auditInput(await repeat(r), allCausal, specials);
        assert.ok(report.ok, formatInputAudit(report));
        assert.ok(
          report.words.every((w) => w.observed.length === 6),
          'every word sees the 6 words',
        );
      }
    }
  });

  it('catches a transform that leaks future tokens its declaration hides', async () => {
    // repetition that claims to change nothing: the second copy lets each word see its right context
    const leaky: InputTransform = { ...(await repeat(2)), label: 'leaky', context: 'as-masked' };
    const report = auditInput(leaky, allCausal, llama);
    assert.equal(report.ok, false);
    assert.deepEqual(report.words[0].declared.length, 1);
    assert.deepEqual(report.words[0].observed.length, 6);
    assert.throws(
      () => assertInputAuditOk(report),
      (e: Error & { code?: string }) =>
        e.code === 'TRAIN_INPUT_AUDIT_MISMATCH' && /input leaky declares as-masked/.test(e.message),
    );
  });

  it('catches a repetition that reads labels from the first copy (the second copy comes after the label)', async () => {
    const good = await repeat(2);
    const firstCopy: InputTransform = {
      ...good,
      label: 'first-copy',
      apply(input) {
        const out = good.apply(input);
        return { ...out, positions: [...input.positions] };
      },
    };
    const report = auditInput(firstCopy, allCausal, llama);
    assert.equal(report.ok, false, 'word 0 in the first copy sees only itself, not the whole sentence');
    assert.match(formatInputAudit(report), /word 0: declared 0 1 2 3 4 5; observed 0$/m);
    assert.throws(() => assertInputAuditOk(report), /first-copy declares whole-sentence/);
  });

  it("catches a label read at another word's token", async () => {
    const good = await repeat(2);
    const shifted: InputTransform = {
      ...good,
      label: 'shifted',
      apply(input) {
        const out = good.apply(input);
        return { ...out, positions: out.positions.map((p) => Math.min(p + 1, out.ids.length - 1)) };
      },
    };
    const report = auditInput(shifted, allCausal, llama);
    assert.equal(report.ok, false);
    assert.ok(report.misplaced.includes(0));
  });
});
