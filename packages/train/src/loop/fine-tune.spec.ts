import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { runCell } from '../cell/run-cell.js';
import { useConllCellFixture } from '../testing/conll-cell-fixture.js';
import { RunFiles } from './run-files.js';

/** 2 epochs of 48 sentences in batches of 16: 6 optimiser steps. */
const recipe = { trainLimit: 48, devLimit: 32, testLimit: 16, epochs: 2 } as const;
const quiet = { log: () => {} } as const;

describe('fineTune: step log and cancellation (stories260K on CoNLL-2003)', function () {
  this.timeout(10 * 60_000);
  const fx = useConllCellFixture('fine-tune');
  const cell = (name: string, logEvery = 25) =>
    fx.cell(name, { mask: 'mask:bidirectional', recipe: { ...recipe, logEvery } });

  it('starts steps.jsonl afresh when there is no checkpoint (an interrupted attempt left rows there)', async () => {
    const config = cell('fresh');
    mkdirSync(config.output, { recursive: true });
    const leftover = Array.from({ length: 4 }, (_, i) => JSON.stringify({ step: i + 1, loss: 9 })).join('\n');
    writeFileSync(new RunFiles(config.output).steps, `${leftover}\n`);
    const result = await runCell(config, { ...quiet, registry: fx.registry });
    const steps = new RunFiles(config.output).readSteps().map((r) => r.step);
    assert.equal(result.steps, 6);
    assert.deepEqual(steps, [1, 2, 3, 4, 5, 6], 'one row per step, none left over');
  });

  it('stops with TRAIN_CANCELLED within one step once isCancelled() says so', async () => {
    // Steps reach onStep when their losses are read back from the device, every logEvery steps: here every step.
    const config = cell('cancelled', 1);
    let stepsSeen = 0;
    await assert.rejects(
      runCell(config, {
        ...quiet,
        registry: fx.registry,
        onStep: (step) => {
          stepsSeen = step;
        },
        isCancelled: () => stepsSeen >= 2,
      }),
      (e: Error & { code?: string }) => e.code === 'TRAIN_CANCELLED' && /at optimiser step 2\b/.test(e.message),
    );
    assert.equal(stepsSeen, 2, 'no step after the cancellation');
    assert.ok(!existsSync(new RunFiles(config.output).metrics), 'no result written');
  });
});
