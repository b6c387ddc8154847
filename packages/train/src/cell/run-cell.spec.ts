import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TaggedSentence } from '@lookright/core';
import { evaluateTags, isValidInScheme, readPredictionFile } from '@lookright/text';
import * as tf from '@tensorflow/tfjs-core';
import { readCheckpoint } from '../checkpoint/checkpoint-file.js';
import type { TrainCellConfig } from '../loop/cell-config.js';
import { RunFiles } from '../loop/run-files.js';
import type { ConllCellOptions } from '../testing/conll-cell.js';
import { useConllCellFixture } from '../testing/conll-cell-fixture.js';
import { type CellRunResult, runCell } from './run-cell.js';

/** Steps of the small runs (determinism, resume): 2 epochs of 48 sentences in batches of 16, no accumulation. */
const small = { trainLimit: 48, devLimit: 32, testLimit: 16, epochs: 2 } as const;
/** Optimiser steps of the F1 runs: 2,000 sentences / 16 per batch ≈ 125 steps per epoch. */
const f1Steps = 200;

const quiet = { log: () => {} } as const;
/** Runs a cell in a child process; with `killAfter`, SIGKILLs it once it reports that optimiser step. */
function runChild(
  config: TrainCellConfig,
  killAfter?: number,
): Promise<{ code: number | null; firstStep: number; lastStep: number; stderr: string }> {
  const script = fileURLToPath(new URL('../testing/run-cell-child.ts', import.meta.url));
  // Pure tfjs kernels in every child: @lookright/native rounds differently, and whether its addon loads must not
  // differ between the runs compared (a rebuild of the addon during the test would otherwise break the comparison).
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOOKRIGHT_NATIVE: '0' },
  });
  let stderr = '';
  let firstStep = 0;
  let lastStep = 0;
  child.stderr.on('data', (d) => {
    stderr += String(d);
  });
  child.stdout.on('data', (d: Buffer) => {
    for (const m of String(d).matchAll(/step (\d+)/g)) {
      lastStep = Number(m[1]);
      firstStep ||= lastStep;
      if (killAfter !== undefined && lastStep >= killAfter) child.kill('SIGKILL');
    }
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, firstStep, lastStep, stderr })));
}

const stepRecords = (dir: string) => new RunFiles(dir).readSteps().map(({ seconds: _s, ...rest }) => rest);

describe('runCell: stories260K + LoRA on CoNLL-2003', function () {
  this.timeout(30 * 60_000);
  const fx = useConllCellFixture('train');
  const cell = (name: string, mask: string, extra: Partial<ConllCellOptions> = {}): TrainCellConfig =>
    fx.cell(name, { mask, ...extra });

  describe('dev F1 (a few hundred steps)', () => {
    let bidirectional: CellRunResult;
    let causal: CellRunResult;
    before(async () => {
      const recipe = { epochs: 2, maxSteps: f1Steps };
      bidirectional = await runCell(cell('f1-bi', 'mask:bidirectional', { recipe }), {
        ...quiet,
        registry: fx.registry,
      });
      causal = await runCell(cell('f1-causal', 'mask:causal', { recipe }), { ...quiet, registry: fx.registry });
      console.log(
        `      dev F1: bidirectional ${(bidirectional.dev.f1 * 100).toFixed(2)} (${bidirectional.seconds.toFixed(0)} s), ` +
          `causal ${(causal.dev.f1 * 100).toFixed(2)} (${causal.seconds.toFixed(0)} s); test F1 ` +
          `${((bidirectional.test?.f1 ?? 0) * 100).toFixed(2)} / ${((causal.test?.f1 ?? 0) * 100).toFixed(2)}`,
      );
    });

    it('reaches a dev F1 clearly above the majority-class baseline', async () => {
      const corpus = await (
        (await fx.registry.get('dataset:conll2003').descriptor.create(
          { path: fx.dataDir },
          {
            baseDir: fx.root,
            env: process.env,
            log: () => {},
          },
        )) as { load(): Promise<{ splits: Record<string, TaggedSentence[]> }> }
      ).load();
      const counts = new Map<string, number>();
      for (const s of corpus.splits.train.slice(0, 2000))
        for (const t of s.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
      const majority = [...counts].sort((a, b) => b[1] - a[1])[0][0];
      const dev = corpus.splits.dev.slice(0, 400);
      const baseline = evaluateTags(
        dev.map((s) => ({ gold: s.tags, pred: s.tags.map(() => majority) })),
        { mode: 'strict', scheme: 'iob2' },
      );
      assert.equal(bidirectional.steps, f1Steps);
      assert.ok(
        bidirectional.dev.f1 > baseline.f1 + 0.1,
        `dev F1 ${bidirectional.dev.f1} vs majority-class (${majority}) baseline ${baseline.f1}`,
      );
    });

    it('with mask:bidirectional beats mask:causal on the same seed', () => {
      assert.equal(bidirectional.maskSpecs, '11111');
      assert.equal(causal.maskSpecs, '00000');
      assert.ok(
        bidirectional.dev.f1 > causal.dev.f1,
        `bidirectional ${bidirectional.dev.f1} vs causal ${causal.dev.f1}`,
      );
    });

    it('chooses the epoch on dev only and writes conlleval predictions that re-score to the reported F1', () => {
      const best = bidirectional.devF1History.indexOf(Math.max(...bidirectional.devF1History));
      assert.equal(bidirectional.bestEpoch, best);
      for (const split of ['dev', 'test'] as const) {
        const file = new RunFiles(bidirectional.outputDir).predictions(split);
        const rescored = evaluateTags(readPredictionFile(file).sentences, { mode: 'strict', scheme: 'iob2' }, file);
        assert.equal(rescored.f1, bidirectional[split]?.f1);
      }
      const metrics = JSON.parse(readFileSync(new RunFiles(bidirectional.outputDir).metrics, 'utf8'));
      assert.equal(metrics.dev.f1, bidirectional.dev.f1);
      assert.equal(metrics.backend.name, 'wasm');
    });
  });

  describe('determinism, resume, failure', () => {
    let first: CellRunResult;

    before(async () => {
      first = await runCell(cell('det-1', 'mask:bidirectional', { recipe: small }), {
        ...quiet,
        registry: fx.registry,
      });
    });

    it('the same seed on the same backend gives identical losses and metrics', async () => {
      const second = await runCell(cell('det-2', 'mask:bidirectional', { recipe: small }), {
        ...quiet,
        registry: fx.registry,
      });
      assert.equal(first.steps, 6);
      assert.deepEqual(stepRecords(second.outputDir), stepRecords(first.outputDir));
      assert.deepEqual(second.devF1History, first.devF1History);
      assert.deepEqual(second.dev, first.dev);
      assert.deepEqual(second.test, first.test);
      const other = await runCell(cell('det-seed-2', 'mask:bidirectional', { recipe: small, seed: 2 }), {
        ...quiet,
        registry: fx.registry,
      });
      assert.notDeepEqual(stepRecords(other.outputDir), stepRecords(first.outputDir), 'another seed differs');
    });

    it('keeps the live tensor count constant across steps', async () => {
      // One batch per epoch, so every step (and every dev pass) has shapes seen before: the engine's per-shape
      // caches (masks, RoPE tables) are full after the first step and its evaluation; nothing else may grow.
      const counts: number[] = [];
      const recipe = { trainLimit: 16, devLimit: 16, testLimit: 16, epochs: 5 };
      await runCell(cell('tensors', 'mask:bidirectional', { recipe }), {
        ...quiet,
        registry: fx.registry,
        onStep: () => counts.push(tf.memory().numTensors),
      });
      assert.equal(counts.length, 5);
      assert.deepEqual(counts.slice(1), new Array(4).fill(counts[1]), `live tensors per step: ${counts}`);
    });

    it('resumes a killed run step for step', async () => {
      // All three runs are child processes started the same way, so they share one kernel set (native or not).
      const reference = cell('resume-reference', 'mask:bidirectional', { recipe: small });
      const ran = await runChild(reference);
      assert.equal(ran.code, 0, ran.stderr);
      const config = cell('resume', 'mask:bidirectional', { recipe: small, checkpointEvery: 1 });
      const killed = await runChild(config, 3);
      assert.equal(killed.code, null, `the child should have been killed, not exit: ${killed.stderr}`);
      const saved = readCheckpoint(new RunFiles(config.output).checkpoint).state.step;
      assert.ok(saved >= 2 && saved <= killed.lastStep, `checkpoint at step ${saved}, killed after ${killed.lastStep}`);
      const resumed = await runChild(config);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.equal(resumed.firstStep, saved + 1, 'the resumed run starts after the checkpoint');
      assert.deepEqual(stepRecords(config.output), stepRecords(reference.output));
      const metrics = (c: TrainCellConfig) => JSON.parse(readFileSync(new RunFiles(c.output).metrics, 'utf8'));
      assert.deepEqual(metrics(config).dev, metrics(reference).dev);
      assert.deepEqual(metrics(config).test, metrics(reference).test);
    });

    it('refuses a corrupted checkpoint with a clear message', async () => {
      const file = new RunFiles(first.outputDir).checkpoint;
      const bytes = readFileSync(file);
      bytes[bytes.length - 5] ^= 0xff;
      writeFileSync(file, bytes);
      await assert.rejects(
        runCell(cell('det-1', 'mask:bidirectional', { recipe: small }), { ...quiet, registry: fx.registry }),
        (e: Error & { code?: string }) => e.code === 'TRAIN_CHECKPOINT_CORRUPT' && e.message.includes(file),
      );
    });

    it('head:crf trains through runCell and predicts only valid IOB2 sequences', async () => {
      const config = { ...cell('crf', 'mask:bidirectional', { recipe: small }), head: { id: 'head:crf' } };
      const result = await runCell(config, { ...quiet, registry: fx.registry });
      assert.equal(result.steps, 6);
      const predicted = readPredictionFile(new RunFiles(result.outputDir).predictions('dev')).sentences;
      assert.ok(predicted.length > 0);
      for (const s of predicted) assert.ok(isValidInScheme(s.pred, 'iob2'), `invalid IOB2: ${s.pred.join(' ')}`);
    });

    it('stops with an error naming the step when the loss becomes NaN or Inf', async () => {
      await assert.rejects(
        runCell(cell('nan', 'mask:bidirectional', { recipe: { ...small, learningRate: 1e30, clipNorm: null } }), {
          ...quiet,
          registry: fx.registry,
        }),
        (e: Error & { code?: string }) => e.code === 'TRAIN_NON_FINITE_LOSS' && /at optimiser step \d+/.test(e.message),
      );
    });
  });
});
