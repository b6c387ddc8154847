import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { harnessErrors } from '../errors.js';
import type { CellConfig } from '../expand/cell-types.js';

/**
 * The backbone params a fine-tuning cell trains with: for a backbone pre-trained by its own cell, the recipe
 * replaced by `model`, the checkpoint folder that cell left in the store (every other param kept, e.g. `layers`);
 * any other backbone's params unchanged.
 */
export function backboneParamsToTrain(backbone: CellConfig['backbone']): Record<string, unknown> {
  const { pretrained } = backbone;
  if (!pretrained) return backbone.params;
  if (!pretrained.dir) throw harnessErrors.pretrainBlocked(pretrained.cell, backbone.label);
  const { pretrain: _recipe, ...rest } = backbone.params;
  return { ...rest, model: pretrained.dir };
}

/**
 * Checks that the pre-trained checkpoint a fine-tuning cell is about to load is the one its pre-training cell
 * recorded: every file there, with the sha256 the store has. A changed or missing file is
 * PRETRAINED_CHECKPOINT_CHANGED; nothing is trained on it.
 */
export function verifyPretrainedCheckpoint(backbone: CellConfig['backbone']): void {
  const { pretrained } = backbone;
  if (!pretrained?.dir) return;
  for (const file of pretrained.files ?? []) {
    const path = join(pretrained.dir, file.name);
    if (!existsSync(path)) throw harnessErrors.pretrainedCheckpointChanged(pretrained.cell, path, 'is missing');
    const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
    if (sha256 !== file.sha256)
      throw harnessErrors.pretrainedCheckpointChanged(
        pretrained.cell,
        path,
        `has sha256 ${sha256.slice(0, 12)}…, the store recorded ${file.sha256.slice(0, 12)}…`,
      );
  }
}
