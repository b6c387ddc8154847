import assert from 'node:assert/strict';

/** max|ours - ref| / max|ref| (or max|ours - ref| when ref is all zeros) over every element: the measure the hf-tiny
 * and peft fixtures set tolerances in. */
export function relativeError(ours: ArrayLike<number>, ref: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    diff = Math.max(diff, Math.abs(ours[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return diff / (scale || 1);
}

/** relativeError of a tensor against a fixture tensor; with `what`, their shapes must agree first. */
export function tensorRelativeError(
  ours: { shape: number[]; dataSync(): ArrayLike<number> },
  ref: { shape: number[]; data: ArrayLike<number> },
  what?: string,
): number {
  if (what !== undefined) assert.deepEqual(ours.shape, ref.shape, `${what}: shape`);
  return relativeError(ours.dataSync(), ref.data);
}

/** tensorRelativeError read asynchronously, for backends without synchronous reads (webgpu in Node). */
export async function tensorRelativeErrorAsync(
  ours: { shape: number[]; data(): Promise<ArrayLike<number>> },
  ref: { shape: number[]; data: ArrayLike<number> },
  what: string,
): Promise<number> {
  assert.deepEqual(ours.shape, ref.shape, `${what}: shape`);
  return relativeError(await ours.data(), ref.data);
}
