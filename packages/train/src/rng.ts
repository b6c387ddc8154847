import { SeededRng } from '@lookright/core';

export { SeededRng };

/** Derives independent streams from one run seed: the same seed always gives the same streams. */
export function rngStreams(seed: number): { init: SeededRng; dropout: SeededRng; shuffle: SeededRng } {
  const root = new SeededRng(seed);
  return { init: root.fork(), dropout: root.fork(), shuffle: root.fork() };
}
