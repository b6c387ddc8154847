import type { CellRunnerRef } from '../schedule/cell-runner.js';

/** The runner `lookright run` uses: fine-tuning through @lookright/train's runCell, in each worker process. */
export const trainRunnerRef: CellRunnerRef = {
  module: new URL('../train-runner/train-cell-runner.ts', import.meta.url).href,
  exportName: 'trainCellRunner',
};

/** The runner of pre-training cells: @lookright/train's pretrain, in each worker process. */
export const pretrainRunnerRef: CellRunnerRef = {
  module: new URL('../train-runner/pretrain-cell-runner.ts', import.meta.url).href,
  exportName: 'pretrainCellRunner',
};
