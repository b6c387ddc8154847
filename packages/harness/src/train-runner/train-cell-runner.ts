import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveAuto } from '@lookright/engine';
import {
  BASE_MODEL_DIR,
  BASE_MODEL_FILES,
  type CellRunResult,
  CRF_FILE,
  MANIFEST_FILE,
  nativeAvailability,
  nativeNumerics,
  runCell,
  type TrainCellConfig,
} from '@lookright/train';
import type { CellConfig } from '../expand/cell-types.js';
import type { CellRunner } from '../schedule/cell-runner.js';
import { backboneParamsToTrain, verifyPretrainedCheckpoint } from './pretrained-checkpoint.js';
import { trainPackageVersion } from './train-package-version.js';

/** The trainer's config for a harness cell: the resolved plugins, seed and recipe, writing into `output`. */
export function toTrainConfig(config: CellConfig, output: string): TrainCellConfig {
  const { backbone, mask, dataset, head, input } = config;
  return {
    name: `${backbone.label} × ${mask.label} × ${input ? `${input.label} × ` : ''}${dataset.label} × ${head.label} × seed ${config.seed}`,
    plugins: config.suite.plugins,
    backbone: { id: backbone.id, params: backboneParamsToTrain(backbone) },
    mask: { id: mask.id, params: mask.params },
    dataset: { id: dataset.id, params: dataset.params },
    head: { id: head.id, params: head.params },
    ...(input && { input: { id: input.id, params: input.params } }),
    seed: config.seed,
    recipe: config.recipe,
    output,
    checkpointEvery: null,
  };
}

/** Final metrics as flat names: dev.f1, test.precision, test.per_type.PER.f1, steps, trainSeconds, ... */
export function flattenRunMetrics(result: CellRunResult): Record<string, number> {
  const metrics: Record<string, number> = {
    steps: result.steps,
    bestEpoch: result.bestEpoch,
    resumedFromStep: result.resumedFromStep,
    trainTokens: result.trainTokens,
    trainSeconds: result.trainSeconds,
    paddingFraction: result.paddingFraction,
    seconds: result.seconds,
  };
  for (const [split, report] of [
    ['dev', result.dev],
    ['test', result.test],
  ] as const) {
    if (!report) continue;
    metrics[`${split}.precision`] = report.precision;
    metrics[`${split}.recall`] = report.recall;
    metrics[`${split}.f1`] = report.f1;
    metrics[`${split}.accuracy`] = report.accuracy;
    for (const [type, score] of Object.entries(report.per_type)) metrics[`${split}.per_type.${type}.f1`] = score.f1;
  }
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v)));
}

/**
 * The files of a LoRA cell's PEFT export (`peft/`), as artifact names (`peft.adapter_config`...) and paths; with
 * `peft.base_model.config` / `.weights` / `.tokenizer` for the base-model/ folder a backbone made from a config adds.
 */
export function peftArtifacts(artifactDir: string): Record<string, string> {
  const dir = join(artifactDir, 'peft');
  const baseModel = Object.entries(BASE_MODEL_FILES).map(([key, file]) => [
    `peft.base_model.${key}`,
    join(dir, BASE_MODEL_DIR, file),
  ]);
  return {
    'peft.adapter_config': join(dir, 'adapter_config.json'),
    'peft.adapter_model': join(dir, 'adapter_model.safetensors'),
    'peft.head_crf': join(dir, CRF_FILE),
    'peft.lookright': join(dir, MANIFEST_FILE),
    ...Object.fromEntries(baseModel),
  };
}

/**
 * The real cell runner: fine-tunes and evaluates the cell with @lookright/train's runCell in the worker process,
 * resuming from the checkpoint an interrupted attempt left in the attempt's folder, and stopping within a step
 * when the context says the attempt is cancelled. Artifacts: the resolved cell config, metrics.json, steps.jsonl,
 * the dev/test predictions in conlleval format, and for a LoRA cell the PEFT export in peft/.
 */
export const trainCellRunner: CellRunner = {
  id: 'runner:train',
  version: trainPackageVersion,
  numerics: () => ({
    'backend.auto': resolveAuto('auto').name,
    ...nativeNumerics(),
  }),
  runNotes: () => {
    const native = nativeAvailability();
    if (native.on) return [];
    const enable = native.hint ? `. To enable it: ${native.hint}.` : '';
    return [`native acceleration off (${native.reason}): cells run pure tfjs${enable}`];
  },
  async run(config, ctx) {
    const cellFile = join(ctx.artifactDir, 'cell-config.json');
    writeFileSync(cellFile, `${JSON.stringify(config, null, 2)}\n`);
    verifyPretrainedCheckpoint(config.backbone);
    const { pretrained } = config.backbone;
    if (pretrained?.dir)
      ctx.log(
        `backbone: checkpoint of pre-training cell ${pretrained.cell} at ${pretrained.dir} (sha256 of ${pretrained.files?.length ?? 0} file(s) as recorded)`,
      );
    const result = await runCell(toTrainConfig(config, ctx.artifactDir), {
      baseDir: config.suite.baseDir,
      env: ctx.env,
      log: ctx.log,
      onStep: (step, metrics) => ctx.reportStep(step, metrics),
      isCancelled: ctx.isCancelled,
    });
    const files = {
      config: cellFile,
      metrics: join(ctx.artifactDir, 'metrics.json'),
      steps: join(ctx.artifactDir, 'steps.jsonl'),
      'predictions.dev': join(ctx.artifactDir, 'predictions.dev.conll'),
      'predictions.test': join(ctx.artifactDir, 'predictions.test.conll'),
      ...peftArtifacts(ctx.artifactDir),
    };
    return {
      metrics: flattenRunMetrics(result),
      artifacts: Object.entries(files)
        .filter(([, path]) => existsSync(path))
        .map(([name, path]) => ({ name, path })),
    };
  },
};
