import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { readManifest } from '@lookright/train';
import { harnessErrors } from '../errors.js';
import type { RunStore } from '../store/run-store.js';
import type { StoredCell } from '../store/store-queries.js';
import { modelCard } from './model-card.js';

/** What `lookright export` wrote. */
export interface ExportedCell {
  hash: string;
  outDir: string;
  files: string[];
}

/** The one cell whose hash starts with `prefix` (at least 4 hex digits); typed errors for none or several. */
export function findCell(store: RunStore, prefix: string): StoredCell {
  const wanted = prefix.trim().toLowerCase();
  if (!/^[0-9a-f]{4,64}$/.test(wanted)) throw harnessErrors.cellPrefixInvalid(prefix);
  const hashes = store.queries.hashesWithPrefix(wanted);
  if (hashes.length === 0) throw harnessErrors.unknownCell(wanted, store.file);
  if (hashes.length > 1) throw harnessErrors.ambiguousCell(wanted, hashes);
  return store.queries.cell(hashes[0])!;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Where an artifact goes in the export: its place under the cell's peft/ (base-model/config.json...), else its name. */
function pathInExport(adapterDir: string, file: string): string {
  const inside = relative(adapterDir, file);
  return inside.startsWith('..') || isAbsolute(inside) ? basename(file) : inside;
}

/**
 * `lookright export`: copies a FINISHED LoRA cell's PEFT export (the `peft.*` artifacts the runner recorded:
 * adapter_config.json, adapter_model.safetensors, lookright.json, head-crf.safetensors for a CRF head, base-model/
 * for a backbone made from a config) into `outDir`, checking each file against the sha256 the store recorded, and
 * adds a model card (README.md).
 */
export function exportCell(store: RunStore, prefix: string, outDir: string): ExportedCell {
  const cell = findCell(store, prefix);
  if (cell.status !== 'FINISHED') throw harnessErrors.cellNotFinished(cell.hash, cell.status);
  const peft = cell.artifacts.filter((a) => a.name.startsWith('peft.'));
  const metrics = cell.artifacts.find((a) => a.name === 'metrics');
  const outputDir = metrics ? dirname(metrics.path) : '(its output folder)';
  if (!cell.config.recipe.lora) throw harnessErrors.exportNotLora(cell.hash, outputDir);
  const adapter = peft.find((a) => a.name === 'peft.adapter_model');
  if (!adapter) throw harnessErrors.exportMissing(cell.hash, outputDir);
  for (const a of peft)
    if (!existsSync(a.path) || sha256(a.path) !== a.sha256)
      throw harnessErrors.exportArtifactChanged(cell.hash, a.path);
  const adapterDir = dirname(adapter.path);
  mkdirSync(outDir, { recursive: true });
  const files = peft.map((a) => {
    const target = join(outDir, pathInExport(adapterDir, a.path));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(a.path, target);
    return target;
  });
  const card = join(outDir, 'README.md');
  writeFileSync(card, modelCard(cell, readManifest(outDir)));
  return { hash: cell.hash, outDir, files: [...files, card] };
}
