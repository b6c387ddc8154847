import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bidirectional, causal } from '@lookright/core';
import { fixturePath } from '@lookright/test-support/fixtures';
import { readSafetensors } from '../io/safetensors-read.js';
import { inspectHiddenStates } from './inspect-hidden-states.js';

describe('inspectHiddenStates', function () {
  this.timeout(120_000);

  it('writes masked outputs equal to the fixture, one input row per forward pass', async function () {
    const dir = fixturePath(this, 'hf-tiny', 'llama-tiny');
    const tmp = mkdtempSync(join(tmpdir(), 'lookright-inspect-api-'));
    try {
      const out = join(tmp, 'out.safetensors');
      const result = await inspectHiddenStates({
        model: dir,
        inputs: join(dir, 'outputs.safetensors'),
        out,
        backend: 'wasm',
        rowsPerChunk: 1,
        resolveSpecs: (n) => Array.from({ length: n }, (_, i) => (i < 2 ? bidirectional : causal)),
      });
      assert.equal(result.backend.name, 'wasm');
      const ours = readSafetensors(out);
      const ref = readSafetensors(join(dir, 'outputs.safetensors'));
      assert.equal(ours.size, 5);
      for (const [name, t] of ours) {
        const r = ref.get(`masked.1100.${name}`)!;
        assert.deepEqual(t.shape, r.shape);
        let diff = 0;
        let scale = 0;
        for (let i = 0; i < r.data.length; i++) {
          diff = Math.max(diff, Math.abs(t.data[i] - r.data[i]));
          scale = Math.max(scale, Math.abs(r.data[i]));
        }
        assert.ok(diff <= 1e-4 * scale, `${name}: ${diff / scale}`);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
