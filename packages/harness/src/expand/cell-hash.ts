import { contentHash, recipeForHash } from '@lookright/core';
import { WEBGPU_KERNELS } from '@lookright/engine';
import { NATIVE_BF16_KERNELS } from '@lookright/train';
import type { CellConfig, ResolvedPlugin } from './cell-types.js';

function pluginIdentity(p: ResolvedPlugin) {
  return { id: p.id, params: p.paramsAsWritten, plugin: p.plugin };
}

/**
 * A pre-trained backbone without its recipe: the pre-training cell's hash stands for it (and for the corpus text),
 * so writing a default out or moving the corpus changes neither cell.
 */
function pretrainedIdentity(p: ResolvedPlugin) {
  const { pretrain: _recipe, ...params } = p.paramsAsWritten;
  return { id: p.id, params, plugin: p.plugin };
}

/** Whether the cell trains on webgpu: asked for by its recipe, or `auto` resolving to it on this machine. */
function onWebgpu(config: CellConfig): boolean {
  const backend = config.recipe.backend ?? 'auto';
  return backend === 'webgpu' || (backend === 'auto' && config.runner.numerics?.['backend.auto'] === 'webgpu');
}

/**
 * What a cell's hash covers: plugin ids, params as written (defaults filled, `${LOOKRIGHT_*}` kept so the hash is
 * the same on every machine; an input transform only when it is not `input:identity`), plugin package versions, the sha256 of every file of a local checkpoint folder (a hub
 * checkpoint is named by repo id and revision; a pre-trained one by its pre-training cell's hash in place of its recipe), the dataset's file checksums, the seed, the full recipe (less `weightStorage: f32` and `matmulPrecision: f32`, the defaults)
 * and the runner's id, version and numerics (resolved backend, native kernels; on webgpu also the WGSL kernels'
 * generation; with matmulPrecision bf16 the native AMX kernel's). Labels, names and the suite's name are left out: they change no number, and
 * two suites holding the same cell share its result.
 */
export function cellIdentity(config: CellConfig): unknown {
  return {
    format: 'lookright.cell/1',
    backbone: config.backbone.pretrained
      ? { ...pretrainedIdentity(config.backbone), pretrained: config.backbone.pretrained.cell }
      : {
          ...pluginIdentity(config.backbone),
          ...(config.backbone.checkpoint && { checkpoint: config.backbone.checkpoint.files }),
        },
    mask: pluginIdentity(config.mask),
    dataset: { ...pluginIdentity(config.dataset), files: config.dataset.fingerprint.files },
    head: pluginIdentity(config.head),
    ...(config.input && { input: pluginIdentity(config.input) }),
    seed: config.seed,
    recipe: recipeForHash(config.recipe),
    runner: config.runner,
    ...(onWebgpu(config) && { webgpuKernels: WEBGPU_KERNELS }),
    ...(config.recipe.matmulPrecision === 'bf16' && { bf16Kernels: NATIVE_BF16_KERNELS }),
  };
}

/** The cell's stable content hash (sha256 hex of the canonical JSON of its identity). */
export function cellHash(config: CellConfig): string {
  return contentHash(cellIdentity(config));
}
