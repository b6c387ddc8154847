/**
 * Makes tfjs-backend-webgpu fail loudly instead of computing wrong numbers:
 * - every GPU buffer it allocates is checked against the device's maxBufferSize and, for storage buffers,
 *   maxStorageBufferBindingSize (a larger binding reads stale data with only a message on stderr);
 * - Dawn's uncaptured errors (validation, out-of-memory, internal) and a lost device are recorded, and every read
 *   back to the CPU (`await t.data()`) afterwards throws WEBGPU_DEVICE_ERROR;
 * - freed buffers are pooled only up to a byte cap, the least recently freed returned first (webgpu-pool.ts).
 */
import type { LookrightError } from '@lookright/core';
import * as tf from '@tensorflow/tfjs-core';
import { engineErrors } from '../errors.js';
import { type BufferPool, capBufferPool, type PooledBufferManager } from './webgpu-pool.js';

/** The private parts of tfjs-backend-webgpu 4.22's WebGPUBackend and BufferManager this guard wraps. */
export interface GuardedBackend {
  device: GPUDevice;
  read(dataId: object): Promise<unknown>;
  bufferManager: PooledBufferManager;
}

/** Limits the guard enforces. */
export interface GuardLimits {
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  /** Most bytes of freed buffers kept for reuse. */
  poolBytes: number;
}

/** Default cap on pooled free buffers: LOOKRIGHT_WEBGPU_POOL_MIB, else 512 MiB. */
export function defaultPoolBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mib = Number(env.LOOKRIGHT_WEBGPU_POOL_MIB);
  return (Number.isFinite(mib) && mib >= 0 ? mib : 512) * 2 ** 20;
}

const STORAGE = 0x0080; // GPUBufferUsage.STORAGE

let deviceFailure: LookrightError | undefined;

const deferredChecks: { flag: tf.Tensor; error: () => Error }[] = [];

/**
 * Registers a check computed on the device: `flag` (a boolean scalar, kept alive here and disposed when checked) is
 * read before the next read back to the CPU returns, and `error()` is thrown when it is true. For input checks that
 * cannot read GPU-resident values synchronously.
 */
export function deferDeviceCheck(flag: tf.Tensor, error: () => Error): void {
  deferredChecks.push({ flag: tf.keep(flag), error });
}

/** Throws the recorded device error, if the device reported one since the backend started. */
export function assertWebgpuHealthy(): void {
  if (deviceFailure) throw deviceFailure;
}

/** Clears the recorded device error (a fresh device, or a test that provoked one on purpose). */
export function clearWebgpuFailure(): void {
  deviceFailure = undefined;
}

let pool: BufferPool | undefined;

/**
 * Changes the byte cap on pooled free buffers of the started backend (tests, long runs with varied shapes), and
 * destroys the least recently freed pooled buffers beyond it.
 */
export function setWebgpuPoolBytes(bytes: number): void {
  pool?.setCapBytes(bytes);
}

/** Installs the checks on a started backend; `adapter` names the adapter in error messages. */
export function guardWebgpuBackend(backend: GuardedBackend, limits: GuardLimits, adapter: string): void {
  const device = backend.device;
  device.addEventListener('uncapturederror', (event) => {
    const error = (event as GPUUncapturedErrorEvent).error;
    const kind = error.constructor?.name === 'GPUOutOfMemoryError' ? 'out of memory' : 'a validation error';
    deviceFailure ??= engineErrors.webgpuDeviceError(kind, error.message, adapter);
  });
  void device.lost.then((info) => {
    if (info.reason !== 'destroyed')
      deviceFailure ??= engineErrors.webgpuDeviceError('device lost', info.message, adapter);
  });

  const manager = backend.bufferManager;
  const acquire = manager.acquireBuffer.bind(manager);
  manager.acquireBuffer = (size, usage, mappedAtCreation, reuse) => {
    if (size > limits.maxBufferSize)
      throw engineErrors.webgpuBufferTooLarge(size, 'maxBufferSize', limits.maxBufferSize, adapter);
    if ((usage & STORAGE) !== 0 && size > limits.maxStorageBufferBindingSize)
      throw engineErrors.webgpuBufferTooLarge(
        size,
        'maxStorageBufferBindingSize',
        limits.maxStorageBufferBindingSize,
        adapter,
      );
    return acquire(size, usage, mappedAtCreation, reuse);
  };
  pool = capBufferPool(manager, limits.poolBytes);

  const read = backend.read.bind(backend);
  backend.read = async (dataId) => {
    assertWebgpuHealthy();
    const values = await read(dataId);
    assertWebgpuHealthy();
    await runDeferredChecks(read);
    return values;
  };
}

async function runDeferredChecks(read: GuardedBackend['read']): Promise<void> {
  const checks = deferredChecks.splice(0);
  let failed: Error | undefined;
  for (const { flag, error } of checks) {
    const value = (await read(flag.dataId)) as ArrayLike<number>;
    flag.dispose();
    if (value[0] && !failed) failed = error();
  }
  if (failed) throw failed;
}
