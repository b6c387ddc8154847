import type { CellConfig } from '../expand/cell-types.js';
import type { PretrainCellConfig } from '../expand/pretrain-cells.js';
import type { CellRunnerRef } from './cell-runner.js';

/** What one worker process is told to do; written as JSON beside the cell's log so any attempt can be replayed. */
export interface WorkerJob {
  storeDir: string;
  cellHash: string;
  attemptId: number;
  runner: CellRunnerRef;
  /** A fine-tuning cell's config, or a pre-training cell's (run by the pre-training runner). */
  config: CellConfig | PretrainCellConfig;
  /** This attempt's own folder, where the runner writes (and finds what the attempt it inherits from left). */
  artifactDir: string;
  /** The cell's output folder, which `artifactDir` becomes when the store accepts the result. */
  outputDir: string;
  logPath: string;
}

/** Exit code of a worker that stopped because its harness went away (nothing was recorded). */
export const exitHarnessGone = 70;
/** Exit code of a worker whose cell failed with an error it recorded in the store. */
export const exitCellFailed = 1;
