import { SeededRng } from '@lookright/core';

export { SeededRng };

/**
 * Derives independent streams from one run seed: the same seed always gives the same streams. `model` draws the
 * weights of a backbone made from a config (forked last, so the other streams are as before it existed).
 */
export function rngStreams(seed: number): {
  init: SeededRng;
  dropout: SeededRng;
  shuffle: SeededRng;
  model: SeededRng;
} {
  const root = new SeededRng(seed);
  return { init: root.fork(), dropout: root.fork(), shuffle: root.fork(), model: root.fork() };
}
