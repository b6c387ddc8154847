import { basename, dirname } from 'node:path';
import type { Cell } from '../expand/cell-types.js';
import type { RunStore } from '../store/run-store.js';

/** Fine-tuning cells split by whether the checkpoint they fine-tune exists. */
export interface LinkedCells {
  /** Cells ready to run: those without a pre-trained backbone, and those whose pre-training cell FINISHED. */
  runnable: Cell[];
  /** Cells whose pre-training cell did not finish (FAILED, interrupted): not run, reported as blocked. */
  blocked: Cell[];
}

/**
 * Gives each fine-tuning cell whose backbone is pre-trained by its own cell that cell's checkpoint: the folder the
 * store promoted its attempt to and each checkpoint file's sha256 as the store recorded it (the fine-tuning cell
 * checks them before loading). Neither is part of the cell's hash, which covers the pre-training cell's hash only.
 */
export function linkPretrainedCheckpoints(store: RunStore, cells: readonly Cell[]): LinkedCells {
  const linked: LinkedCells = { runnable: [], blocked: [] };
  for (const cell of cells) {
    const pretrained = cell.config.backbone.pretrained;
    if (!pretrained) {
      linked.runnable.push(cell);
      continue;
    }
    const stored = store.queries.cell(pretrained.cell);
    const files = (stored?.artifacts ?? []).filter((a) => a.name.startsWith('checkpoint.'));
    if (stored?.status !== 'FINISHED' || files.length === 0) {
      linked.blocked.push(cell);
      continue;
    }
    const backbone = {
      ...cell.config.backbone,
      pretrained: {
        cell: pretrained.cell,
        dir: dirname(files[0].path),
        files: files.map((f) => ({ name: basename(f.path), sha256: f.sha256 })),
      },
    };
    linked.runnable.push({ ...cell, config: { ...cell.config, backbone } });
  }
  return linked;
}
