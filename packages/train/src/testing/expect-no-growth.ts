import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { type LiveTensor, trackLiveTensors } from './live-tensors.js';

/** Survivors grouped by where they were created: `N x dtype[shape] ...` then the first frames. */
export function describeSurvivors(survivors: readonly LiveTensor[], frames = 4): string {
  const groups = new Map<string, { n: number; shapes: Set<string> }>();
  for (const s of survivors) {
    const where = s.stack.split('\n').slice(0, frames).join('\n    ');
    const group = groups.get(where) ?? { n: 0, shapes: new Set<string>() };
    group.n++;
    group.shapes.add(`${s.dtype}[${s.shape}]`);
    groups.set(where, group);
  }
  return [...groups]
    .sort((a, b) => b[1].n - a[1].n)
    .map(([where, g]) => `${g.n} x ${[...g.shapes].slice(0, 4).join(' ')}\n    ${where}`)
    .join('\n');
}

/**
 * Runs `work` three times in this process and asserts that the 2nd and 3rd runs leave no tensor behind: the live
 * tensor count after each equals the count after the 1st (which may create a bounded process-wide cache). A failure
 * lists the surviving tensors with their shapes and creation stacks.
 */
export async function expectNoTensorGrowth(work: (run: number) => Promise<unknown>): Promise<number[]> {
  const counts: number[] = [];
  await work(0);
  counts.push(tf.memory().numTensors);
  const tracker = trackLiveTensors();
  try {
    for (const run of [1, 2]) {
      await work(run);
      counts.push(tf.memory().numTensors);
    }
    assert.deepEqual(
      counts,
      [counts[0], counts[0], counts[0]],
      `live tensors after runs 1-3: ${counts.join(', ')}; created by runs 2-3 and still alive:\n` +
        describeSurvivors(tracker.survivors()),
    );
  } finally {
    tracker.uninstall();
  }
  return counts;
}
