import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LookrightError } from '@lookright/core';
import type { PretrainCellConfig } from '../expand/pretrain-cells.js';
import type { CellRunner, CellRunnerRef } from '../schedule/cell-runner.js';
import { waitForGate } from './cpu-cell-runner.js';

/**
 * A stand-in for the pre-training runner in the harness's scheduling tests: writes a small checkpoint folder
 * (config.json naming the recipe, a weights file) and three loss metrics at once; with the worker's
 * LOOKRIGHT_TEST_PRETRAIN_FAULT `throw` it fails with TEST_FAULT, with `hang` it waits a minute first; with
 * LOOKRIGHT_TEST_PRETRAIN_GATE `<backbone label>:<file>` the pre-training of that backbone waits until the file
 * exists (a test releases it). The real runner is covered by test/pretrain-suite.spec.ts.
 */
export const cpuPretrainRunner: CellRunner<PretrainCellConfig> = {
  id: 'runner:test-pretrain',
  version: '1',
  async run(config, ctx) {
    const fault = ctx.env.LOOKRIGHT_TEST_PRETRAIN_FAULT;
    if (fault === 'throw')
      throw new LookrightError('TEST_FAULT', 'the test pre-training fault was asked for', 'unset the variable');
    if (fault === 'hang') await new Promise((r) => setTimeout(r, 60_000));
    await waitForGate(ctx.env.LOOKRIGHT_TEST_PRETRAIN_GATE, config.backbone.label);
    const dir = join(ctx.artifactDir, 'checkpoint');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ recipe: config.recipe }));
    writeFileSync(join(dir, 'model.safetensors'), `weights of seed ${config.recipe.seed}`);
    return {
      metrics: { finalLoss: 1.5, validationLossBefore: 3, validationLossAfter: 2 },
      artifacts: [
        { name: 'checkpoint.config', path: join(dir, 'config.json') },
        { name: 'checkpoint.weights', path: join(dir, 'model.safetensors') },
      ],
    };
  },
};

/** Where worker processes find cpuPretrainRunner (this module). */
export const cpuPretrainRunnerRef: CellRunnerRef = { module: import.meta.url, exportName: 'cpuPretrainRunner' };
