import { basename, dirname } from 'node:path';
import type { Cell } from '../expand/cell-types.js';
import type { RunStore } from '../store/run-store.js';

/**
 * Gives a fine-tuning cell whose backbone is pre-trained by its own cell that cell's checkpoint: the folder the
 * store promoted its attempt to and each checkpoint file's sha256 as the store recorded it (the fine-tuning cell
 * checks them before loading). Neither is part of the cell's hash, which covers the pre-training cell's hash only.
 * A cell without a pre-trained backbone comes back as it is; null when its pre-training cell did not finish
 * (FAILED, interrupted, never run): the cell must not run (it is reported blocked).
 */
export function linkPretrainedCheckpoint(store: RunStore, cell: Cell): Cell | null {
  const pretrained = cell.config.backbone.pretrained;
  if (!pretrained) return cell;
  const stored = store.queries.cell(pretrained.cell);
  const files = (stored?.artifacts ?? []).filter((a) => a.name.startsWith('checkpoint.'));
  if (stored?.status !== 'FINISHED' || files.length === 0) return null;
  const backbone = {
    ...cell.config.backbone,
    pretrained: {
      cell: pretrained.cell,
      dir: dirname(files[0].path),
      files: files.map((f) => ({ name: basename(f.path), sha256: f.sha256 })),
    },
  };
  return { ...cell, config: { ...cell.config, backbone } };
}
