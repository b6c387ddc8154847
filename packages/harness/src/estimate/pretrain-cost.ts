import type { PretrainCell } from '../expand/pretrain-cells.js';
import { pretrainParameters } from './backbone-size.js';
import { type FlopRate, flopsPerToken } from './estimate-cost.js';

/** What a pre-training cell is estimated to cost. */
export interface PretrainEstimate {
  cell: PretrainCell;
  seconds: number | null;
  basis: string;
}

/**
 * Estimates each pre-training cell's seconds: steps × batchSize × seqLen tokens at 6 FLOPs per parameter and token
 * (every weight trains) at the given rate; unknown when its corpus could not be read.
 */
export function estimatePretrainCells(cells: readonly PretrainCell[], rate: FlopRate): PretrainEstimate[] {
  return cells.map((cell) => {
    const { recipe, corpus } = cell.config;
    if (corpus.unavailable)
      return { cell, seconds: null, basis: `unknown: corpus unavailable (${corpus.unavailable})` };
    const parameters = pretrainParameters(recipe);
    const tokens = recipe.steps * recipe.batchSize * recipe.seqLen;
    return {
      cell,
      seconds: (tokens * flopsPerToken(parameters, false)) / rate.flopsPerSecond,
      basis: `${(parameters / 1e6).toFixed(2)}M params × ${tokens} tokens at ${rate.basis}`,
    };
  });
}
