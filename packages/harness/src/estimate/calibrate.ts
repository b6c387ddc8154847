import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { canonicalJson } from '@lookright/core';
import { cellHash } from '../expand/cell-hash.js';
import type { Cell, CellConfig } from '../expand/cell-types.js';
import type { CellRunnerRef } from '../schedule/cell-runner.js';
import { LocalPoolScheduler } from '../schedule/local-pool-scheduler.js';
import type { CellOutcome } from '../schedule/scheduler.js';
import { currentProcess } from '../store/process-identity.js';
import { RunStore } from '../store/run-store.js';

/** Measured cost of one backbone on this machine's backend, with the cell's batch shape. */
export interface Calibration {
  backboneKey: string;
  /** Seconds of a run that does no step: worker start, model and data load, evaluation. */
  fixedSeconds: number;
  secondsPerStep: number;
  /** The cell the calibration ran (its recipe's batch shape is what secondsPerStep means). */
  cellHash: string;
}

export const backboneKey = (config: CellConfig) =>
  canonicalJson({ id: config.backbone.id, params: config.backbone.params });

/** Whether some string param of the backbone names a local folder holding config.json. */
function hasLocalWeights(config: CellConfig): boolean {
  return Object.values(config.backbone.params).some(
    (v) => typeof v === 'string' && existsSync(join(resolve(config.suite.baseDir, v), 'config.json')),
  );
}

/** Whether the backbone is made from a config (its `config` param) rather than loaded from a checkpoint. */
function isMadeFromConfig(config: CellConfig): boolean {
  return typeof config.backbone.params.config === 'object' && config.backbone.params.config !== null;
}

/** The cell cut to `steps` optimiser steps on `steps` batches, one epoch, small dev and test splits. */
function shortVariant(cell: Cell, steps: number, tag: string): Cell {
  const perStep = cell.config.recipe.batchSize * cell.config.recipe.gradientAccumulation;
  const recipe = {
    ...cell.config.recipe,
    epochs: 1,
    maxSteps: steps,
    trainLimit: perStep * steps,
    devLimit: 16,
    testLimit: 16,
  };
  const config = { ...cell.config, recipe, suite: { ...cell.config.suite, name: `${cell.config.suite.name}.${tag}` } };
  return { ...cell, config, hash: cellHash(config) };
}

/**
 * Times a few real training steps per distinct backbone, in real worker processes with the real runner, in a
 * throw-away store: a 1-step and a `steps`-step run of the backbone's first runnable cell; the difference gives
 * seconds per step, the rest is fixed cost. Only backbones whose weights are in a local folder are calibrated
 * (a hub id would be downloaded); the others, and those whose run fails, are reported, not guessed.
 */
export async function calibrateBackbones(
  cells: readonly Cell[],
  runner: CellRunnerRef,
  opts: { steps?: number; print?: (line: string) => void } = {},
): Promise<{ calibrations: Map<string, Calibration>; failures: Map<string, string> }> {
  const steps = opts.steps ?? 3;
  const firstByBackbone = new Map<string, Cell>();
  const skipped = new Map<string, string>();
  for (const cell of cells) {
    if (cell.config.dataset.fingerprint.unavailable) continue;
    if (isMadeFromConfig(cell.config)) {
      skipped.set(
        backboneKey(cell.config),
        `${cell.labels.backbone}: made from a config, estimated from its size (timing a few steps of so small a model measures mostly process start-up)`,
      );
      continue;
    }
    if (cell.config.backbone.pretrained) {
      skipped.set(
        backboneKey(cell.config),
        `${cell.labels.backbone}: pre-trained by its own cell (no weights before it runs), estimated from its size`,
      );
      continue;
    }
    if (!hasLocalWeights(cell.config)) {
      skipped.set(
        backboneKey(cell.config),
        `${cell.labels.backbone}: weights are not in a local folder (a calibration would download them)`,
      );
      continue;
    }
    const key = backboneKey(cell.config);
    if (!firstByBackbone.has(key)) firstByBackbone.set(key, cell);
  }
  const calibrations = new Map<string, Calibration>();
  const failures = new Map<string, string>(skipped);
  const dir = mkdtempSync(join(tmpdir(), 'lookright-calibrate-'));
  const store = RunStore.open(dir);
  try {
    for (const [key, cell] of firstByBackbone) {
      const short = shortVariant(cell, 1, 'calibrate-1');
      const long = shortVariant(cell, steps, `calibrate-${steps}`);
      const suiteId = store.registerSuite({ name: `calibrate-${cell.hash.slice(0, 8)}`, file: '', json: {} }, [
        short,
        long,
      ]);
      const executionId = store.beginExecution(suiteId, currentProcess());
      const seconds = new Map<string, CellOutcome>();
      opts.print?.(`calibrating ${cell.labels.backbone}: ${steps} training steps on this machine...`);
      await new LocalPoolScheduler(1).run(
        { cells: [short, long], storeDir: dir, executionId, runner, limits: { timeoutSeconds: 900, memoryMiB: null } },
        { cellEnded: (c, outcome) => seconds.set(c.hash, outcome) },
      );
      const a = seconds.get(short.hash);
      const b = seconds.get(long.hash);
      if (a?.status !== 'FINISHED' || b?.status !== 'FINISHED') {
        const failed = [a, b].find((o) => o?.status === 'FAILED');
        failures.set(
          key,
          failed?.status === 'FAILED' ? `${failed.code}: ${failed.message}` : 'calibration did not run',
        );
        continue;
      }
      const secondsPerStep = Math.max(0, (b.seconds - a.seconds) / (steps - 1));
      calibrations.set(key, {
        backboneKey: key,
        fixedSeconds: Math.max(0, a.seconds - secondsPerStep),
        secondsPerStep,
        cellHash: cell.hash,
      });
    }
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { calibrations, failures };
}
