import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LookrightError } from '@lookright/core';
import type { CellRunner, CellRunnerRef } from '../schedule/cell-runner.js';

/** xorshift32 steps; a fixed amount of real CPU work whose result depends only on the seed. */
function churn(state: number, rounds: number): number {
  let x = state >>> 0 || 1;
  for (let i = 0; i < rounds; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
  }
  return x;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Waits without yielding to the event loop, as a training step does. */
const blockFor = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * A deterministic CPU job standing in for training in the harness's own tests: `recipe.maxSteps` steps (default
 * 20) of fixed integer work plus LOOKRIGHT_TEST_STEP_MS of waiting (without yielding to the event loop, like the
 * trainer, when LOOKRIGHT_TEST_BLOCKING=1), a "loss" per step, appended like the trainer's steps.jsonl to a
 * steps.txt it starts afresh, a predictions artifact and final metrics that depend only on the config. A
 * `mask:test-fault` cell misbehaves as its params say. With LOOKRIGHT_TEST_CELL_GATE `<mask label>/<seed>:<file>`,
 * that cell waits after its first step until the file exists (a test holds it RUNNING for as long as it needs).
 */
export const cpuCellRunner: CellRunner = {
  id: 'runner:test-cpu',
  version: '1',
  runNotes: () => ['runner:test-cpu runs no tfjs'],
  async run(config, ctx) {
    const fault = config.mask.id === 'mask:test-fault' ? String(config.mask.params.fault) : undefined;
    if (fault === 'throw') throw new LookrightError('TEST_FAULT', 'the test fault was asked for', 'nothing to do');
    if (fault === 'crash') process.abort();
    const hog: Buffer[] = [];
    const steps = config.recipe.maxSteps ?? 20;
    const delay = Number(ctx.env.LOOKRIGHT_TEST_STEP_MS ?? 20);
    const blocking = ctx.env.LOOKRIGHT_TEST_BLOCKING === '1';
    const stepLog = join(ctx.artifactDir, 'steps.txt');
    writeFileSync(stepLog, '');
    let state = churn(config.seed * 7919 + config.mask.label.length, 1000);
    for (let step = 1; step <= steps; step++) {
      state = churn(state, 200_000);
      const loss = 1 / step + (state % 1000) / 1e6;
      appendFileSync(stepLog, `${step} ${loss}\n`);
      ctx.reportStep(step, { 'train.loss': loss });
      if (step === 1) await waitForGate(ctx.env.LOOKRIGHT_TEST_CELL_GATE, `${config.mask.label}/${config.seed}`);
      if (fault === 'hog') hog.push(Buffer.alloc(64 << 20, step));
      if (blocking && fault !== 'hang') blockFor(delay);
      else await sleep(fault === 'hang' ? 60_000 : delay);
    }
    const predictions = join(ctx.artifactDir, 'predictions.txt');
    writeFileSync(predictions, `state ${state}\n`);
    ctx.log(`cpu runner done after ${steps} steps (held ${hog.length} blocks)`);
    return {
      metrics: { 'dev.f1': (state % 10_000) / 10_000, steps },
      artifacts: [
        { name: 'predictions', path: predictions },
        { name: 'steps', path: stepLog },
      ],
    };
  },
};

/** Where worker processes find cpuCellRunner (this module). */
export const cpuRunnerRef: CellRunnerRef = { module: import.meta.url, exportName: 'cpuCellRunner' };

/** Waits until the gate's file exists when `gate` (`<key>:<file>`) names this cell's key. */
export async function waitForGate(gate: string | undefined, key: string): Promise<void> {
  const at = gate?.indexOf(':') ?? -1;
  if (!gate || at < 0 || gate.slice(0, at) !== key) return;
  const file = gate.slice(at + 1);
  while (!existsSync(file)) await sleep(50);
}
