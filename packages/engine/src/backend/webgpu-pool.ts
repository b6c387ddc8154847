/**
 * A pool of freed GPU buffers that gives memory back: tfjs-backend-webgpu keeps every freed buffer for reuse (712 MB
 * of buffers for 104 MB of live tensors in one training step of the reference model). This wraps its BufferManager
 * so the pooled bytes never exceed a cap, destroying the least recently freed buffers first: buffers of the sizes in
 * use now stay pooled and are reused, while sizes no longer asked for (an earlier batch length) are returned.
 */

/** The private parts of tfjs-backend-webgpu 4.22's BufferManager the pool wraps. */
export interface PooledBufferManager {
  acquireBuffer(size: number, usage: number, mappedAtCreation?: boolean, reuse?: boolean): GPUBuffer;
  releaseBuffer(buffer: GPUBuffer, reuse?: boolean): void;
  numBytesAllocated: number;
  numBytesUsed: number;
  numFreeBuffers: number;
  freeBuffers: Map<string, GPUBuffer[]>;
}

/** The pool's cap, changeable while it runs. */
export interface BufferPool {
  /** Most bytes of freed buffers kept; lowering it destroys the oldest at once. */
  setCapBytes(bytes: number): void;
  /** Bytes of freed buffers kept now. */
  pooledBytes(): number;
}

/** Wraps `manager` (acquireBuffer is wrapped as it is found: compose other wrappers before or after). */
export function capBufferPool(manager: PooledBufferManager, capBytes: number): BufferPool {
  let cap = capBytes;
  /** Pooled buffers, least recently freed first (a Set keeps insertion order). */
  const order = new Set<GPUBuffer>();
  const pooled = () => manager.numBytesAllocated - manager.numBytesUsed;
  const evict = () => {
    for (const buffer of order) {
      if (pooled() <= cap) return;
      order.delete(buffer);
      const list = manager.freeBuffers.get(`${buffer.size}_${buffer.usage}`);
      const index = list?.indexOf(buffer) ?? -1;
      if (index < 0) continue; // taken back by acquireBuffer meanwhile
      list!.splice(index, 1);
      manager.numFreeBuffers -= 1;
      manager.numBytesAllocated -= buffer.size;
      buffer.destroy();
    }
  };
  const acquire = manager.acquireBuffer.bind(manager);
  manager.acquireBuffer = (size, usage, mappedAtCreation, reuse) => {
    const buffer = acquire(size, usage, mappedAtCreation, reuse);
    order.delete(buffer);
    return buffer;
  };
  const release = manager.releaseBuffer.bind(manager);
  manager.releaseBuffer = (buffer, reuse = true) => {
    const keep = reuse && buffer.size <= cap;
    release(buffer, keep);
    if (!keep) return;
    order.add(buffer);
    evict();
  };
  return {
    setCapBytes(bytes) {
      cap = bytes;
      evict();
    },
    pooledBytes: pooled,
  };
}
