import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataPath } from '@lookright/test-support/fixtures';
import { nativeAvailability } from '@lookright/train';
import { runSuite } from '../run/run-suite.js';
import { RunStore } from '../store/run-store.js';
import { trainCellRunner } from './train-cell-runner.js';

describe('harness with the real trainer (end to end)', function () {
  this.timeout(600_000);

  it('fine-tunes stories260K cells in worker processes, records results, and a second run trains nothing', async function () {
    const model = dataPath(this, 'tiny_checkpoints', 'stories260K_hf');
    dataPath(this, 'conll2003', 'eng.train');
    const dir = mkdtempSync(join(tmpdir(), 'lookright-e2e-'));
    const suiteFile = join(dir, 'suite.yaml');
    writeFileSync(
      suiteFile,
      `name: e2e
recipe: {epochs: 1, maxSteps: 3, batchSize: 8, gradientAccumulation: 1, maxLength: 32, trainLimit: 24, devLimit: 16, testLimit: 16, lora: false, learningRate: 0.003}
axes:
  backbone: [{id: backbone:llama, params: {model: ${JSON.stringify(model)}}}]
  mask: [mask:causal, mask:bidirectional]
  dataset: [{id: dataset:conll2003, params: {task: ner}}]
  seed: [1]
`,
    );
    const storeDir = join(dir, 'runs');
    const lines: string[] = [];
    const first = await runSuite({ suiteFile, storeDir, workers: 2, print: (l) => lines.push(l) });
    assert.deepEqual(first.summary, { finished: 2, failed: 0, skipped: 0, interrupted: false }, lines.join('\n'));

    const store = RunStore.open(storeDir);
    const cells = store.queries.suiteCells('e2e');
    for (const cell of cells) {
      assert.equal(cell.status, 'FINISHED');
      assert.equal(cell.metrics.steps, 3);
      assert.ok(cell.metrics['dev.f1'] >= 0 && cell.metrics['dev.f1'] <= 1);
      assert.ok('test.f1' in cell.metrics);
      const names = cell.artifacts.map((a) => a.name);
      for (const name of ['config', 'metrics', 'predictions.dev', 'predictions.test'])
        assert.ok(names.includes(name), name);
      assert.ok(!names.some((n) => n.startsWith('peft.')), 'a full fine-tuning cell (lora: false) exports no adapter');
      const predictions = cell.artifacts.find((a) => a.name === 'predictions.test');
      assert.ok(predictions && existsSync(predictions.path) && readFileSync(predictions.path, 'utf8').length > 0);
      assert.ok(store.queries.stepMetrics(cell.hash).length > 0, 'per-step metrics recorded');
    }
    const attempts = cells.map((c) => store.queries.attempts(c.hash).length);
    store.close();

    const second = await runSuite({ suiteFile, storeDir, workers: 2, print: () => {} });
    assert.equal(second.alreadyFinished, 2);
    assert.deepEqual(second.summary, { finished: 0, failed: 0, skipped: 0, interrupted: false });
    const again = RunStore.open(storeDir);
    assert.deepEqual(
      again.queries.suiteCells('e2e').map((c) => again.queries.attempts(c.hash).length),
      attempts,
    );
    again.close();
  });
});

describe('trainCellRunner.runNotes', () => {
  it('says that native acceleration is off, and why', () => {
    const saved = process.env.LOOKRIGHT_NATIVE;
    process.env.LOOKRIGHT_NATIVE = '0';
    try {
      assert.deepEqual(trainCellRunner.runNotes?.(), [
        'native acceleration off (LOOKRIGHT_NATIVE=0): cells run pure tfjs',
      ]);
    } finally {
      if (saved === undefined) delete process.env.LOOKRIGHT_NATIVE;
      else process.env.LOOKRIGHT_NATIVE = saved;
    }
    const notes = trainCellRunner.runNotes?.() ?? [];
    if (nativeAvailability().on) assert.deepEqual(notes, []);
    else
      assert.match(
        notes[0] ?? '',
        /^native acceleration off \(.+\): cells run pure tfjs\. To enable it: apt-get install/,
      );
  });
});

describe('trainCellRunner.numerics', () => {
  it("names the backend and, with native kernels, the BLAS whose products a cell's numbers depend on", () => {
    const saved = process.env.LOOKRIGHT_NATIVE;
    process.env.LOOKRIGHT_NATIVE = '0';
    try {
      const off = trainCellRunner.numerics?.() ?? {};
      assert.deepEqual(Object.keys(off).sort(), ['backend.auto', 'native']);
      assert.equal(off.native, 'off');
    } finally {
      if (saved === undefined) delete process.env.LOOKRIGHT_NATIVE;
      else process.env.LOOKRIGHT_NATIVE = saved;
    }
    const native = nativeAvailability();
    if (!native.on) return;
    const on = trainCellRunner.numerics?.() ?? {};
    assert.equal(on.native, 'on');
    assert.equal(on.blas, native.blas);
    assert.match(on.blas ?? '', /^OpenBLAS \d+\.\d+\.\d+ \w+(, one thread)?$/);
  });
});
