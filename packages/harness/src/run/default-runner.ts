import type { CellRunnerRef } from '../schedule/cell-runner.js';

/** The runner `lookright run` uses: fine-tuning through @lookright/train's runCell, in each worker process. */
export const trainRunnerRef: CellRunnerRef = {
  module: new URL('../train-runner/train-cell-runner.ts', import.meta.url).href,
  exportName: 'trainCellRunner',
};
