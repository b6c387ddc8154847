import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeMlflowServer } from '@lookright/plugin-trackers/testing';
import { isPretrainConfig, type SuiteCell } from '../expand/pretrain-cells.js';
import { LocalPoolScheduler } from '../schedule/local-pool-scheduler.js';
import type { Scheduler } from '../schedule/scheduler.js';
import { RunStore } from '../store/run-store.js';
import { cpuPretrainRunnerRef } from '../testing/cpu-pretrain-runner.js';
import { testMlflowTracker } from '../testing/test-mlflow-tracker.js';
import { runTestSuite } from '../testing/test-suite-in-process.js';
import { TrackingObserver } from '../tracking/tracking-observer.js';

const madeAndPlain = `
    - {id: backbone:tiny, name: made, params: {path: model, pretrain: {objective: clm, size: micro, steps: 5, corpus: corpus}}}
    - {id: backbone:tiny, name: plain, params: {path: model}}`;

/** A suite over the test plugins: by default backbone `made` pre-trained by its own cell, backbone `plain` not; 2 seeds. */
function writePretrainSuite(backbones = madeAndPlain, seeds = '[1, 2]') {
  const dir = mkdtempSync(join(tmpdir(), 'lookright-pretrain-phase-'));
  writeFileSync(join(dir, 'train.txt'), 'EU/B-ORG rejects/O German/B-MISC call/O\nPeter/B-PER Blackburn/I-PER\n');
  mkdirSync(join(dir, 'corpus'));
  writeFileSync(join(dir, 'corpus', 'text.txt'), 'It was the best of times, it was the worst of times.\n');
  const file = join(dir, 'suite.yaml');
  writeFileSync(
    file,
    `name: pretrain-phase
recipe: {epochs: 1, maxSteps: 3}
axes:
  backbone:${backbones}
  mask: [mask:causal]
  dataset: [{id: dataset:lines, params: {file: train.txt}}]
  seed: ${seeds}
`,
  );
  return { dir, file };
}

describe('runSuite with pre-training cells', function () {
  this.timeout(120_000);
  /** runTestSuite's options here: a pool of 2, the CPU pre-training runner, cells as they start into `started`. */
  const options = (lines: string[], started: SuiteCell[] = []) => ({
    workers: 2,
    pretrainRunner: cpuPretrainRunnerRef,
    observers: [{ cellStarted: (cell: SuiteCell) => started.push(cell) }],
    print: (l: string) => lines.push(l),
  });

  it('runs pre-training first; cells whose pre-training failed are BLOCKED, not run, and run once it finishes', async () => {
    const { dir, file } = writePretrainSuite();
    const storeDir = join(dir, 'store');
    const lines: string[] = [];
    process.env.LOOKRIGHT_TEST_PRETRAIN_FAULT = 'throw';
    let failed: Awaited<ReturnType<typeof runTestSuite>>;
    try {
      failed = await runTestSuite(file, storeDir, options(lines));
    } finally {
      delete process.env.LOOKRIGHT_TEST_PRETRAIN_FAULT;
    }
    assert.deepEqual(
      { ...failed.summary, cells: failed.cells, pretrain: failed.pretrainCells },
      { finished: 2, failed: 1, skipped: 0, interrupted: false, blocked: 2, cells: 5, pretrain: 1 },
    );
    const blocked =
      /^BLOCKED [0-9a-f]{10} made × causal .*: not run: the pre-training cell [0-9a-f]{10} of made did not finish/;
    assert.equal(lines.filter((l) => blocked.test(l)).length, 2, lines.join('\n'));
    assert.ok(lines.some((l) => /pre-training [0-9a-f]{10} made \(clm, micro, 5 steps\): FAILED/.test(l)));
    const store = RunStore.openExisting(storeDir);
    try {
      const made = store.queries.suiteCells('pretrain-phase').filter((c) => c.labels.backbone === 'made');
      assert.deepEqual(
        made.map((c) => c.status),
        ['PENDING', 'PENDING'],
        'blocked cells were never started',
      );
    } finally {
      store.close();
    }

    const started: SuiteCell[] = [];
    const again = await runTestSuite(file, storeDir, options([], started));
    assert.deepEqual(again.summary, { finished: 3, failed: 0, skipped: 0, interrupted: false });
    assert.equal(again.alreadyFinished, 2);
    assert.ok(isPretrainConfig(started[0].config), 'the pre-training cell starts first');
    const maker = started[0].hash;
    const fineTuned = started.filter((c) => !isPretrainConfig(c.config));
    assert.equal(fineTuned.length, 2);
    for (const cell of fineTuned) {
      const pretrained = !isPretrainConfig(cell.config) && cell.config.backbone.pretrained;
      assert.ok(pretrained && pretrained.cell === maker);
      assert.equal(pretrained.dir, join(storeDir, 'cells', maker.slice(0, 2), maker, 'output', 'checkpoint'));
      assert.deepEqual(pretrained.files?.map((f) => f.name).sort(), ['config.json', 'model.safetensors']);
    }
  });

  it("starts a fine-tuning cell once its own pre-training cell finished, while another backbone's still runs", async () => {
    const { dir, file } = writePretrainSuite(
      `
    - {id: backbone:tiny, name: slow, params: {path: model, pretrain: {objective: clm, size: micro, steps: 5, corpus: corpus}}}
    - {id: backbone:tiny, name: fast, params: {path: model, pretrain: {objective: clm, size: micro, steps: 6, corpus: corpus}}}`,
      '[1]',
    );
    const storeDir = join(dir, 'store');
    // slow's pre-training waits for this file; the start of fast's fine-tuning cell creates it. On a scheduler that
    // runs every pre-training cell first, fast's fine-tuning cannot start meanwhile: a fallback 20 s after fast's
    // pre-training ended opens the gate so that the test fails instead of hanging.
    const gate = join(dir, 'release-slow');
    const open = () => writeFileSync(gate, '');
    const ended = new Set<string>();
    const starts: { cell: SuiteCell; slowPretrainEnded: boolean }[] = [];
    let fallback: NodeJS.Timeout | undefined;
    const pretrainOf = (cell: SuiteCell, backbone: string) =>
      isPretrainConfig(cell.config) && cell.labels.backbone === backbone;
    let slowPretrain = '';
    const watcher = {
      cellStarted(cell: SuiteCell) {
        if (pretrainOf(cell, 'slow')) slowPretrain = cell.hash;
        starts.push({ cell, slowPretrainEnded: ended.has(slowPretrain) });
        if (!isPretrainConfig(cell.config) && cell.labels.backbone === 'fast') open();
      },
      cellEnded(cell: SuiteCell) {
        ended.add(cell.hash);
        if (pretrainOf(cell, 'fast')) fallback = setTimeout(open, 20_000);
      },
    };
    process.env.LOOKRIGHT_TEST_PRETRAIN_GATE = `slow:${gate}`;
    let result: Awaited<ReturnType<typeof runTestSuite>>;
    try {
      result = await runTestSuite(file, storeDir, { ...options([]), observers: [watcher] });
    } finally {
      delete process.env.LOOKRIGHT_TEST_PRETRAIN_GATE;
      clearTimeout(fallback);
    }
    assert.deepEqual(result.summary, { finished: 4, failed: 0, skipped: 0, interrupted: false });
    const fastTuning = starts.find((s) => !isPretrainConfig(s.cell.config) && s.cell.labels.backbone === 'fast');
    assert.ok(slowPretrain && fastTuning, 'both the slow pre-training and the fast fine-tuning started');
    assert.equal(fastTuning.slowPretrainEnded, false, "fast's fine-tuning started while slow still pre-trained");
    const pretrained = !isPretrainConfig(fastTuning.cell.config) && fastTuning.cell.config.backbone.pretrained;
    assert.ok(pretrained && ended.has(pretrained.cell), 'after its own pre-training cell ended');
    assert.deepEqual(pretrained.files?.map((f) => f.name).sort(), ['config.json', 'model.safetensors']);
    const slowTuning = starts.find((s) => !isPretrainConfig(s.cell.config) && s.cell.labels.backbone === 'slow');
    assert.equal(slowTuning?.slowPretrainEnded, true, "slow's fine-tuning waited for its pre-training cell");
  });

  it('stopped while pre-training, runs no fine-tuning cell and reports none blocked; the next run does all', async () => {
    const { dir, file } = writePretrainSuite();
    const storeDir = join(dir, 'store');
    const scheduler = new LocalPoolScheduler(2);
    const lines: string[] = [];
    process.env.LOOKRIGHT_TEST_PRETRAIN_FAULT = 'hang';
    let stopped: Awaited<ReturnType<typeof runTestSuite>>;
    try {
      stopped = await runTestSuite(file, storeDir, {
        ...options(lines),
        scheduler,
        observers: [{ cellStarted: () => setImmediate(() => scheduler.stop()) }],
      });
    } finally {
      delete process.env.LOOKRIGHT_TEST_PRETRAIN_FAULT;
    }
    assert.equal(stopped.summary.interrupted, true);
    assert.equal(stopped.summary.finished, 0);
    assert.equal(stopped.summary.blocked, undefined);
    assert.ok(!lines.some((l) => l.startsWith('BLOCKED')), lines.join('\n'));
    const again = await runTestSuite(file, storeDir, options([]));
    assert.deepEqual(again.summary, { finished: 5, failed: 0, skipped: 0, interrupted: false });
  });

  it('tracks the pre-training cell as its own MLflow run', async () => {
    const server = await new FakeMlflowServer().start();
    const { dir, file } = writePretrainSuite();
    try {
      const result = await runTestSuite(file, join(dir, 'store'), {
        ...options([]),
        observers: [new TrackingObserver([testMlflowTracker(server.uri)])],
      });
      assert.equal(result.summary.finished, 5);
      const runs = [...server.state.runs.values()];
      const pretrain = runs.filter((r) => r.tags.get('lookright.kind') === 'pretrain');
      assert.equal(pretrain.length, 1);
      assert.equal(pretrain[0].info.status, 'FINISHED');
      assert.deepEqual(pretrain[0].metrics.map((m) => m.key).sort(), [
        'finalLoss',
        'validationLossAfter',
        'validationLossBefore',
      ]);
      assert.equal(runs.filter((r) => r.tags.has('lookright.cell_hash')).length, 5);
    } finally {
      await server.stop();
    }
  });

  it('refuses a scheduler other than the local pool before anything is stored (queue: no shared filesystem)', async () => {
    const { dir, file } = writePretrainSuite();
    const queue: Scheduler = {
      label: 'queue redis://127.0.0.1:1',
      run: () => Promise.reject(new Error('must not be reached')),
      stop: () => {},
    };
    await assert.rejects(runTestSuite(file, join(dir, 'store'), { ...options([]), scheduler: queue }), {
      code: 'PRETRAIN_QUEUE_UNSUPPORTED',
      message: /pre-trains made; pre-training suites run locally for now/,
    });
    assert.equal(existsSync(join(dir, 'store')), false);
  });
});
