import * as tf from '@tensorflow/tfjs-core';
import { deferDeviceCheck } from './webgpu-guard.js';

/**
 * The values of `t` when they can be read synchronously: always on the CPU backends, and on webgpu only while the
 * tensor's data is still on the host (not yet uploaded). Undefined otherwise.
 */
export function hostValues(t: tf.Tensor): ArrayLike<number> | undefined {
  if (tf.getBackend() !== 'webgpu') return t.dataSync();
  const data = (tf.backend() as unknown as { tensorMap: { get(id: object): { values?: ArrayLike<number> } } })
    .tensorMap;
  return data.get(t.dataId)?.values ?? undefined;
}

/**
 * Checks that every id in `ids` lies in 0..limit-1 and throws `invalid(value, index)` at the first that does not.
 * When the ids live on a GPU (no synchronous read), the check is computed there and throws at the next read back
 * (`invalid()` then gets no value or index), so no number computed from a bad id is ever returned.
 */
export function checkIdsInRange(
  ids: tf.Tensor,
  limit: number,
  invalid: (value?: number, index?: number) => Error,
): void {
  const values = hostValues(ids);
  if (values) {
    for (let i = 0; i < values.length; i++) if (values[i] < 0 || values[i] >= limit) throw invalid(values[i], i);
    return;
  }
  const bad = tf.tidy(() => tf.any(tf.logicalOr(tf.less(ids, 0), tf.greaterEqual(ids, limit))));
  deferDeviceCheck(bad, () => invalid());
}
