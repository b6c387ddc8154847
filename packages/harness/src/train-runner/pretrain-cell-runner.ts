import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultPretrainConfig, nativeNumerics, pretrain } from '@lookright/train';
import type { PretrainCellConfig } from '../expand/pretrain-cells.js';
import type { CellRunner } from '../schedule/cell-runner.js';
import { trainPackageVersion } from './train-package-version.js';

/** The folder of a pre-training cell's attempt that holds the finished checkpoint. */
export const PRETRAINED_DIR = 'checkpoint';
/** Where the checkpoint is written before it is complete; renamed to PRETRAINED_DIR only at the end. */
const PARTIAL_DIR = 'checkpoint.partial';
/** The checkpoint's files, by artifact name. */
const CHECKPOINT_FILES = {
  config: 'config.json',
  weights: 'model.safetensors',
  tokenizer: 'tokenizer.json',
  pretrain: 'pretrain.json',
} as const;

/**
 * Runs a pre-training cell: @lookright/train's pretrain (wasm backend, native kernels when available) with the
 * cell's recipe, into `checkpoint.partial/` of the attempt's folder, renamed to `checkpoint/` once every file is
 * written, so no reader ever sees half a checkpoint. An attempt starts over: whatever an interrupted attempt left
 * is removed first. Metrics: finalLoss, validationLossBefore/After, parameters, trainTokens, seconds; per-step
 * `loss`. Artifacts: the checkpoint's files (their sha256 go to the store, which fine-tuning cells check).
 */
export const pretrainCellRunner: CellRunner<PretrainCellConfig> = {
  id: 'runner:pretrain',
  version: trainPackageVersion,
  numerics: () => ({ backend: 'wasm', ...nativeNumerics() }),
  async run(config, ctx) {
    const cellFile = join(ctx.artifactDir, 'cell-config.json');
    writeFileSync(cellFile, `${JSON.stringify(config, null, 2)}\n`);
    const partial = join(ctx.artifactDir, PARTIAL_DIR);
    const done = join(ctx.artifactDir, PRETRAINED_DIR);
    rmSync(partial, { recursive: true, force: true });
    rmSync(done, { recursive: true, force: true });
    const result = await pretrain(
      {
        ...defaultPretrainConfig,
        ...config.recipe,
        dataDir: config.corpus.dir,
        output: partial,
      },
      ctx.log,
      { onStep: (step, loss) => ctx.reportStep(step, { loss }), isCancelled: ctx.isCancelled },
    );
    renameSync(partial, done);
    const files = Object.entries(CHECKPOINT_FILES).map(([name, file]) => ({
      name: `checkpoint.${name}`,
      path: join(done, file),
    }));
    return {
      metrics: {
        finalLoss: result.losses.at(-1)?.loss ?? Number.NaN,
        validationLossBefore: result.validationLoss.before,
        validationLossAfter: result.validationLoss.after,
        parameters: result.parameters,
        trainTokens: result.trainTokens,
        seconds: result.seconds,
      },
      artifacts: [{ name: 'config', path: cellFile }, ...files.filter((f) => existsSync(f.path))],
    };
  },
};
