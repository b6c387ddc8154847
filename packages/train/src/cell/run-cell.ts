import { writeFileSync } from 'node:fs';
import { loadRegistry, maskSpecsToString, type PluginRegistry, type TaggedSentence } from '@lookright/core';
import type { BackendDescription } from '@lookright/engine';
import type { NativeStatus } from '@lookright/native';
import { trainErrors } from '../errors.js';
import { isExportableHead } from '../export/head-weights.js';
import { writeCellAdapter } from '../export/write-cell-adapter.js';
import { limitSplit, withCellNumerics } from '../loop/cell-backend.js';
import { cellConfigHash, type TrainCellConfig } from '../loop/cell-config.js';
import { encodeSplit } from '../loop/encode-split.js';
import { openEncoder } from '../loop/engine-encoder.js';
import { type FineTuneResult, fineTune } from '../loop/fine-tune.js';
import { assertWeightStorageSupported, checkGpuMemoryPlan } from '../loop/gpu-memory-check.js';
import { assertInputAuditOk, auditInput, formatInputAudit } from '../loop/input-audit.js';
import { runMaskAudit } from '../loop/mask-audit.js';
import { materializeBackbone } from '../loop/model-from-config.js';
import type { ProgressFactory } from '../loop/progress.js';
import { resolveCellPlugins } from '../loop/resolve-plugins.js';
import { RunFiles } from '../loop/run-files.js';
import { rngStreams } from '../rng.js';

/** How `runCell` talks to its caller. */
export interface RunCellOptions {
  /** Plugins to use; default: the workspace's plus `config.plugins`. */
  registry?: PluginRegistry;
  /** Folder `config.plugins` and plugin params resolve against (default: cwd). */
  baseDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Progress and diagnostic lines (default: stdout). */
  log?: (line: string) => void;
  /** Shows training progress (default: plain lines through `log`; the CLI passes a bar on a terminal). */
  progress?: ProgressFactory;
  onStep?: (step: number, metrics: Record<string, number>) => void;
  /** Checked every step; returning true stops the run with TRAIN_CANCELLED (e.g. its harness is gone). */
  isCancelled?: () => boolean;
}

/** What one run produced; also written to `<output>/metrics.json`. */
export interface CellRunResult extends FineTuneResult {
  backend: BackendDescription;
  /** Whether @lookright/native's BLAS and fused kernels ran (they change speed, and float rounding). */
  native: NativeStatus;
  maskLabel: string;
  /** The input transform's label (`identity` when the config names none). */
  inputLabel: string;
  /** One character per layer (0 causal, 1 bidirectional, w window). */
  maskSpecs: string;
  labels: string[];
  sentences: { train: number; dev: number; test: number };
  outputDir: string;
  seconds: number;
}

/**
 * Fine-tunes and evaluates one cell: backbone + mask strategy + dataset + head + seed + recipe. The test split is
 * scored once with the weights chosen on dev. Resumes from `<output>/checkpoint.safetensors` when present. A LoRA
 * cell also writes `<output>/peft/`: the chosen weights as a PEFT adapter (see writeCellAdapter).
 */
export async function runCell(config: TrainCellConfig, options: RunCellOptions = {}): Promise<CellRunResult> {
  const started = performance.now();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const { recipe } = config;
  if (recipe.labelSubwords !== 'first')
    throw trainErrors.unsupportedRecipe('labelSubwords', recipe.labelSubwords, "'first'");
  return withCellNumerics(recipe, log, ({ backend, native }) =>
    trainCell(config, options, { started, log, backend, native }),
  );
}

/** runCell after the backend and kernels are chosen. */
async function trainCell(
  config: TrainCellConfig,
  options: RunCellOptions,
  run: { started: number; log: (line: string) => void; backend: BackendDescription; native: NativeStatus },
): Promise<CellRunResult> {
  const { started, log, backend, native } = run;
  const { recipe } = config;
  assertWeightStorageSupported(backend, recipe);
  const registry =
    options.registry ??
    (await loadRegistry({ extra: config.plugins ?? [], baseDir: options.baseDir ?? process.cwd() }));
  const ctx = { baseDir: options.baseDir ?? process.cwd(), env: options.env ?? process.env, log };
  const plugins = await resolveCellPlugins(config, registry, ctx);
  const specs = plugins.mask.layerSpecs(plugins.backbone.numLayers);
  const maskProblem = plugins.backbone.checkMasks(specs);
  if (maskProblem) throw trainErrors.maskNotApplicable(config.backbone.id, config.mask.id, maskProblem);
  log(`mask ${plugins.mask.label}: ${maskSpecsToString(specs)}`);

  const corpus = await plugins.dataset.load();
  for (const w of corpus.warnings) log(`dataset warning: ${w}`);
  const train = limitSplit(corpus.splits.train, recipe.trainLimit);
  const dev = limitSplit(corpus.splits.dev, recipe.devLimit);
  const test = corpus.splits.test ? limitSplit(corpus.splits.test, recipe.testLimit) : null;
  if (!corpus.splits.dev) throw trainErrors.noSplit(corpus.name, 'dev');
  if (train.length === 0) throw trainErrors.emptyTrainSet(corpus.name);

  const streams = rngStreams(config.seed);
  const backbone = await materializeBackbone(plugins.backbone, train, streams.model, config.output, log);
  checkGpuMemoryPlan(backend, backbone.modelDir, recipe, corpus.labels.length, ctx.env, log);
  const encoder = await openEncoder(backbone, specs, recipe, streams.init);
  await runMaskAudit(encoder, specs, config.backbone.id, log, config.maskAudit ?? 'enforce');
  const head = plugins.head.build({
    hiddenSize: encoder.hiddenSize,
    labels: corpus.labels,
    scheme: corpus.scheme,
    dropout: recipe.headDropout,
    rng: streams.init,
  });
  const input = plugins.input;
  const encode = (sentences: TaggedSentence[], split: string) => {
    const {
      sentences: encoded,
      report,
      alignLength,
    } = encodeSplit(encoder.tokenizer, sentences, corpus.labels, recipe.maxLength, input);
    const bound = input ? ` (input ${input.label}: sentence at most ${alignLength} tokens before expansion)` : '';
    if (report.truncatedWords || report.emptyWords)
      log(
        `${split}: ${report.truncatedWords} word(s) cut by maxLength ${recipe.maxLength}${bound}, ${report.emptyWords} with no sub-word; predicted O`,
      );
    return encoded;
  };
  if (input) {
    log(`input ${input.label}: maxLength ${recipe.maxLength} bounds the expanded sequence`);
    const { prefix, suffix } = encoder.tokenizer.specials;
    const audit = auditInput(input, specs, { prefix: prefix.length, suffix: suffix.length });
    log(formatInputAudit(audit));
    if ((config.maskAudit ?? 'enforce') === 'enforce') assertInputAuditOk(audit);
    else if (!audit.ok) log('input audit: MISMATCH reported above; training anyway because maskAudit is "report"');
  }
  const files = new RunFiles(config.output);
  try {
    const result = await fineTune({
      encoder,
      head,
      train: encode(train, 'train').filter((s) => s.positions.length > 0),
      dev: { encoded: encode(dev, 'dev'), sentences: dev },
      test: test ? { encoded: encode(test, 'test'), sentences: test } : null,
      labels: corpus.labels,
      scheme: corpus.scheme,
      recipe,
      seed: config.seed,
      files,
      configHash: cellConfigHash(config),
      checkpointEvery: config.checkpointEvery ?? null,
      log,
      progress: options.progress,
      onStep: options.onStep,
      isCancelled: options.isCancelled,
    });
    if (recipe.lora) {
      if (input) log(`no PEFT export: the adapter manifest does not record input transforms (${input.label})`);
      else if (isExportableHead(head))
        await writeCellAdapter(files.peft, {
          model: encoder.model,
          head,
          config,
          baseModel: backbone.modelDir,
          baseModelFromConfig: plugins.backbone.fromConfig !== undefined,
          baseDir: ctx.baseDir,
          maskLabel: plugins.mask.label,
          masks: maskSpecsToString(specs),
          labels: corpus.labels,
          scheme: corpus.scheme,
        });
      else log(`no PEFT export: head type "${head.type}" has no known tensor layout (only linear and crf)`);
    }
    const out: CellRunResult = {
      ...result,
      backend,
      native,
      maskLabel: plugins.mask.label,
      inputLabel: input?.label ?? 'identity',
      maskSpecs: maskSpecsToString(specs),
      labels: corpus.labels,
      sentences: { train: train.length, dev: dev.length, test: test?.length ?? 0 },
      outputDir: config.output,
      seconds: (performance.now() - started) / 1000,
    };
    writeFileSync(files.metrics, `${JSON.stringify(out, null, 2)}\n`);
    const testNote = out.test ? `, test F1 ${(out.test.f1 * 100).toFixed(2)}` : '';
    log(`done: dev F1 ${(out.dev.f1 * 100).toFixed(2)} (epoch ${out.bestEpoch + 1})${testNote}; ${config.output}`);
    return out;
  } finally {
    head.dispose();
    encoder.dispose();
  }
}
