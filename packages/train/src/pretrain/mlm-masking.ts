import type { SeededRng } from '../rng.js';

/** MLM inputs and labels: -100 where a position is not predicted. */
export interface MaskedBatch {
  inputs: number[][];
  labels: number[][];
}

/**
 * BERT's masking: each position is selected with probability `rate` (15%); a selected position is predicted and its
 * input becomes `<mask>` 80% of the time, a random non-special token 10%, and stays unchanged 10%.
 */
export function maskTokens(
  windows: readonly number[][],
  rng: SeededRng,
  options: { maskId: number; regularVocab: number; rate?: number },
): MaskedBatch {
  const rate = options.rate ?? 0.15;
  const inputs = windows.map((w) => [...w]);
  const labels = windows.map((w) => w.map(() => -100));
  windows.forEach((w, b) => {
    w.forEach((id, t) => {
      if (id >= options.regularVocab || rng.next() >= rate) return;
      labels[b][t] = id;
      const roll = rng.next();
      if (roll < 0.8) inputs[b][t] = options.maskId;
      else if (roll < 0.9) inputs[b][t] = rng.nextInt(options.regularVocab);
    });
  });
  return { inputs, labels };
}
