import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DecoderConfig } from '@lookright/engine';
import { loadAddon } from '@lookright/native';
import { useNativeBackend, useStockBackend } from '@lookright/native/testing';
import { type EpochTrainer, RunFiles, trainEpoch } from '@lookright/train';
import { STEP, VOCAB } from './bench-config.js';
import { makeTrainSetup } from './train-step.js';

/** A decoder small enough for a test, on the benchmark's vocabulary and data. */
const TINY: DecoderConfig = {
  family: 'llama',
  vocabSize: VOCAB,
  hiddenSize: 32,
  intermediateSize: 64,
  numLayers: 2,
  numHeads: 4,
  numKvHeads: 4,
  headDim: 8,
  rmsNormEps: 1e-6,
  ropeTheta: 10000,
  tieWordEmbeddings: false,
  qkvBias: false,
  outputBias: false,
  mlpBias: false,
};
const STEPS = 3;

/** The losses `pnpm bench:train`'s row reports (the last one is its final_loss). */
function benchLosses(mode: 'full' | 'lora'): number[] {
  const setup = makeTrainSetup(TINY, mode, 5);
  const losses = Array.from({ length: STEPS }, () => setup.step());
  setup.dispose();
  return losses;
}

/** The same setup stepped by fineTune's epoch loop (trainEpoch), losses read from the steps.jsonl it writes. */
async function trainerLosses(mode: 'full' | 'lora'): Promise<number[]> {
  const setup = makeTrainSetup(TINY, mode, 5);
  const dir = mkdtempSync(join(tmpdir(), 'bench-step-'));
  const files = new RunFiles(dir);
  const trainer: EpochTrainer = {
    step: setup.trainer,
    schedule: { kind: 'constant', baseRate: STEP.lr, totalSteps: STEPS, warmupSteps: 0 },
    accumulation: 1,
    files,
    progress: { update: () => {}, note: () => {}, stop: () => {} },
    checkpointEvery: null,
    readEvery: 1,
    run: {
      state: {
        step: 0,
        epoch: 0,
        batchInEpoch: 0,
        dropoutRng: 0,
        bestDevF1: -1,
        bestEpoch: -1,
        epochsWithoutImprovement: 0,
        devHistory: [],
        configHash: 'test',
      },
      best: null,
    },
    save: async () => {},
    stopIfCancelled: () => {},
  };
  try {
    await trainEpoch(
      trainer,
      0,
      Array.from({ length: STEPS }, () => setup.batch),
      0,
    );
    return readFileSync(files.steps, 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { loss: number }).loss);
  } finally {
    setup.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("bench:train's step is the trainer's step", () => {
  after(() => useStockBackend('wasm'));

  for (const native of [false, true]) {
    for (const mode of ['full', 'lora'] as const) {
      it(`final_loss equals the loss fineTune's loop logs for the same seed (${mode}, native ${native ? 'on' : 'off'})`, async function () {
        if (native && !loadAddon().ok) {
          if (process.env.LOOKRIGHT_REQUIRE_NATIVE === '1') throw new Error('LOOKRIGHT_REQUIRE_NATIVE=1 but no addon');
          this.skip();
        }
        if (native) await useNativeBackend('wasm');
        else await useStockBackend('wasm');
        const bench = benchLosses(mode);
        const trainer = await trainerLosses(mode);
        assert.deepEqual(trainer, bench);
        assert.ok(bench[STEPS - 1] < bench[0], `the loss did not fall: ${bench}`);
      });
    }
  }
});
