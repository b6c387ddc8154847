import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Backbone, loadRegistry, maskSpecsToString, type PluginRegistry } from '@lookright/core';
import { readSafetensors, wrapperNames } from '@lookright/engine';
import type { MetricsReport } from '@lookright/text';
import { sortedEvalBatches } from '../batching/length-buckets.js';
import { trainErrors } from '../errors.js';
import type { TokenHead } from '../heads/token-head.js';
import { limitSplit, withCellNumerics } from '../loop/cell-backend.js';
import { cellConfigHash, type PluginSpec, type TrainCellConfig } from '../loop/cell-config.js';
import { encodeSplit } from '../loop/encode-split.js';
import { openEncoder } from '../loop/engine-encoder.js';
import { evaluateSplit, writeConllevalFile } from '../loop/evaluate-split.js';
import { predictLabels } from '../loop/predict.js';
import { resolveCellPlugins } from '../loop/resolve-plugins.js';
import { rngStreams } from '../rng.js';
import { BASE_MODEL_FILES, type ExportManifest, MANIFEST_FILE, readManifest } from './export-manifest.js';
import { loadHeadTensors } from './head-weights.js';

/** How to predict from an exported adapter. */
export interface PredictFromAdapterOptions {
  /** The split to predict (the cell's `testLimit` / `devLimit` apply, as when it was scored). */
  split: 'dev' | 'test';
  /** conlleval file to write (`word gold predicted`), as the cell's predictions.<split>.conll. */
  out: string;
  /** Folder plugin params resolve against (default: the one lookright.json records). */
  baseDir?: string;
  registry?: PluginRegistry;
  env?: Readonly<Record<string, string | undefined>>;
  log?: (line: string) => void;
}

/** Puts the export's head weights (`<headName>.*` in the adapter file, plus the CRF file) into a fresh head. */
function restoreExportedHead(dir: string, manifest: ExportManifest, head: TokenHead, headName: string): void {
  const adapterFile = join(dir, 'adapter_model.safetensors');
  const saved = readSafetensors(adapterFile);
  const score = new Map(
    ['weight', 'bias'].flatMap((k) => {
      const t = saved.get(`base_model.model.${headName}.${k}`);
      return t ? [[k, { shape: t.shape, data: Float32Array.from(t.data) }] as const] : [];
    }),
  );
  const crfFile = manifest.head.crfFile ? join(dir, manifest.head.crfFile) : null;
  if (crfFile && !existsSync(crfFile)) throw trainErrors.exportInvalid(crfFile, '/', 'file not found');
  loadHeadTensors(head, score, crfFile ? readSafetensors(crfFile) : null, adapterFile);
}

/**
 * The base model to load the adapter onto: the recorded backbone's checkpoint, or for a backbone made from a config
 * the model the export carries (its seeded weights and word-level tokenizer), opened as the plugin opens the folder
 * it writes when training.
 */
async function exportedBaseModel(dir: string, manifest: ExportManifest, backbone: Backbone): Promise<Backbone> {
  const manifestFile = join(dir, MANIFEST_FILE);
  const included = manifest.includedBaseModel;
  if (!backbone.fromConfig) {
    if (included)
      throw trainErrors.exportInvalid(
        manifestFile,
        'includedBaseModel',
        'set, but the backbone params name a checkpoint',
      );
    return backbone;
  }
  if (!included)
    throw trainErrors.exportInvalid(
      manifestFile,
      'includedBaseModel',
      `missing: the backbone (${manifest.backbone.id}) is made from a config, and its seeded weights are not in the export (exported before exports carried their base model? run the cell again and export it)`,
    );
  const folder = join(dir, included.folder);
  for (const file of Object.values(BASE_MODEL_FILES))
    if (!existsSync(join(folder, file))) throw trainErrors.exportInvalid(join(folder, file), '/', 'file not found');
  return backbone.fromConfig.open(folder);
}

/**
 * Loads an exported adapter (lookright.json, adapter_config.json, adapter_model.safetensors, head-crf.safetensors
 * for a CRF head) onto its base model (the export's base-model/ for a backbone made from a config), with the recorded
 * masks, backend and batch size, and predicts a split of the recorded dataset. The masks and labels the plugins give
 * now must equal the recorded ones.
 */
export async function predictFromAdapter(dir: string, options: PredictFromAdapterOptions): Promise<MetricsReport> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const manifest = readManifest(dir);
  const manifestFile = join(dir, MANIFEST_FILE);
  const baseDir = options.baseDir ?? manifest.baseDir;
  const { recipe } = manifest;
  const spec = (p: PluginSpec): PluginSpec => ({ id: p.id, params: p.params });
  const config: TrainCellConfig = {
    backbone: spec(manifest.backbone),
    mask: spec(manifest.mask),
    dataset: spec(manifest.dataset),
    head: spec(manifest.head),
    seed: manifest.seed,
    recipe,
    plugins: manifest.plugins,
    output: dir,
  };
  if (cellConfigHash(config) !== manifest.trainConfigHash)
    throw trainErrors.exportInvalid(
      manifestFile,
      'trainConfigHash',
      'does not match its plugins, seed and recipe (edited?)',
    );
  return withCellNumerics(recipe, log, async () => {
    const registry = options.registry ?? (await loadRegistry({ extra: manifest.plugins, baseDir }));
    const ctx = { baseDir, env: options.env ?? process.env, log };
    const plugins = await resolveCellPlugins(config, registry, ctx);
    const specs = plugins.mask.layerSpecs(plugins.backbone.numLayers);
    if (maskSpecsToString(specs) !== manifest.masks)
      throw trainErrors.exportMismatch(manifestFile, 'masks', manifest.masks, maskSpecsToString(specs));
    const corpus = await plugins.dataset.load();
    if (JSON.stringify(corpus.labels) !== JSON.stringify(manifest.labels))
      throw trainErrors.exportMismatch(manifestFile, 'labels', manifest.labels.join(' '), corpus.labels.join(' '));
    if (!corpus.splits[options.split]) throw trainErrors.noSplit(corpus.name, options.split);
    const limit = options.split === 'test' ? recipe.testLimit : recipe.devLimit;
    const sentences = limitSplit(corpus.splits[options.split] ?? undefined, limit);

    const backbone = await exportedBaseModel(dir, manifest, plugins.backbone);
    const encoder = await openEncoder(backbone, specs, recipe, rngStreams(manifest.seed).init, dir);
    const head = plugins.head.build({
      hiddenSize: encoder.hiddenSize,
      labels: corpus.labels,
      scheme: corpus.scheme,
      dropout: recipe.headDropout,
      rng: rngStreams(manifest.seed).init,
    });
    try {
      restoreExportedHead(dir, manifest, head, wrapperNames(encoder.model).head);
      const encoded = encodeSplit(encoder.tokenizer, sentences, corpus.labels, recipe.maxLength).sentences;
      const batches = sortedEvalBatches(encoded, recipe.batchSize, encoder.padId);
      const evaluation = evaluateSplit(
        sentences,
        encoded,
        await predictLabels(encoder, head, batches),
        corpus.labels,
        corpus.scheme,
      );
      writeConllevalFile(options.out, evaluation);
      return evaluation.report;
    } finally {
      head.dispose();
      encoder.dispose();
    }
  });
}
