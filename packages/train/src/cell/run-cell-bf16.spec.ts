import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LookrightError, type Recipe } from '@lookright/core';
import { bf16MatmulSupport } from '@lookright/native';
import { RunFiles } from '../loop/run-files.js';
import { nativeAvailability } from '../native-availability.js';
import { useConllCellFixture } from '../testing/conll-cell-fixture.js';
import { runCell } from './run-cell.js';

/** 3 optimiser steps: 48 sentences in batches of 16, one epoch, logged every step. */
const small: Partial<Recipe> = { trainLimit: 48, devLimit: 16, testLimit: 16, epochs: 1, logEvery: 1 };

describe('runCell with matmulPrecision bf16', function () {
  this.timeout(10 * 60_000);
  const fx = useConllCellFixture('bf16');
  const run = (name: string, recipe: Partial<Recipe>, log: (line: string) => void = () => {}) =>
    runCell(fx.cell(name, { mask: 'mask:causal', recipe }), { log, registry: fx.registry });
  const losses = (name: string) => new RunFiles(join(fx.root, name)).readSteps().map((s) => s.loss);

  it('trains with bf16 matmuls: the same losses twice, within 2% of float32 and not equal to them', async function () {
    const support = bf16MatmulSupport();
    if (!nativeAvailability().on || !support.ok) {
      const reason = support.ok ? 'the native kernels are off' : support.reason;
      if (this.test) this.test.title += ` (skipped: ${reason})`;
      this.skip();
    }
    const lines: string[] = [];
    await run('f32', small);
    await run('bf16-a', { ...small, matmulPrecision: 'bf16' }, (line) => lines.push(line));
    await run('bf16-b', { ...small, matmulPrecision: 'bf16' });
    const [f32, a, b] = [losses('f32'), losses('bf16-a'), losses('bf16-b')];
    assert.equal(a.length, 3, 'three optimiser steps logged');
    assert.deepEqual(a, b, 'the same seed gives the same bf16 losses');
    assert.notDeepEqual(a, f32, 'bf16 rounds differently from float32');
    a.forEach((loss, i) => {
      assert.ok(Math.abs(loss - f32[i]) <= 0.02 * f32[i], `step ${i + 1}: bf16 ${loss} vs f32 ${f32[i]}`);
    });
    assert.ok(
      lines.some((l) => l.startsWith('matmul precision: bf16')),
      'the cell log says it ran in bf16',
    );
  });

  it('refuses bf16 when the native kernels are off, naming why (TRAIN_RECIPE_UNSUPPORTED)', async () => {
    const before = process.env.LOOKRIGHT_NATIVE;
    process.env.LOOKRIGHT_NATIVE = '0';
    try {
      await assert.rejects(
        run('bf16-off', { ...small, matmulPrecision: 'bf16' }),
        (err: unknown) =>
          err instanceof LookrightError &&
          err.code === 'TRAIN_RECIPE_UNSUPPORTED' &&
          /recipe\.matmulPrecision = "bf16"/.test(err.message) &&
          /LOOKRIGHT_NATIVE=0/.test(err.hint ?? ''),
      );
    } finally {
      if (before === undefined) delete process.env.LOOKRIGHT_NATIVE;
      else process.env.LOOKRIGHT_NATIVE = before;
    }
  });
});
