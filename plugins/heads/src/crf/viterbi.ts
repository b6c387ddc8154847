/** Scores of a linear-chain CRF in plain arrays; -Infinity marks a forbidden transition. */
export interface ChainScores {
  /** [labels][labels]: score of label j following label i. */
  transitions: number[][];
  start: number[];
  end: number[];
}

/** The highest-scoring label path for one sentence's emissions ([words][labels]). */
export function viterbi(emissions: readonly (readonly number[])[], scores: ChainScores): number[] {
  const words = emissions.length;
  if (words === 0) return [];
  const labels = scores.start.length;
  let best = scores.start.map((s, j) => s + emissions[0][j]);
  const backPointers: number[][] = [];
  for (let t = 1; t < words; t++) {
    const next = new Array<number>(labels);
    const pointers = new Array<number>(labels);
    for (let j = 0; j < labels; j++) {
      let top = Number.NEGATIVE_INFINITY;
      let arg = 0;
      for (let i = 0; i < labels; i++) {
        const candidate = best[i] + scores.transitions[i][j];
        if (candidate > top) {
          top = candidate;
          arg = i;
        }
      }
      next[j] = top + emissions[t][j];
      pointers[j] = arg;
    }
    backPointers.push(pointers);
    best = next;
  }
  let last = 0;
  let top = Number.NEGATIVE_INFINITY;
  best.forEach((score, j) => {
    if (score + scores.end[j] > top) {
      top = score + scores.end[j];
      last = j;
    }
  });
  const path = [last];
  for (let t = backPointers.length - 1; t >= 0; t--) path.unshift(backPointers[t][path[0]]);
  return path;
}
