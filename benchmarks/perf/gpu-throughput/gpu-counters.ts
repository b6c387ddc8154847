import * as tf from '@tensorflow/tfjs-core';

/** tfjs-backend-webgpu's memory figures: live bytes, and live plus pooled (what its buffers hold on the GPU). */
type GpuMemoryInfo = tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };

/** Counts compute dispatches (tfjs-backend-webgpu's runWebGPUProgram: one dispatch each) and tracks peak GPU bytes. */
export class GpuCounters {
  private dispatches = 0;
  private peakAllocated = 0;
  private readonly restore: () => void;

  constructor() {
    const backend = tf.backend() as unknown as { runWebGPUProgram: (...args: unknown[]) => unknown };
    const original = backend.runWebGPUProgram;
    backend.runWebGPUProgram = (...args: unknown[]) => {
      this.dispatches++;
      return original.apply(backend, args);
    };
    this.restore = () => {
      backend.runWebGPUProgram = original;
    };
  }

  /** Dispatches since the last call. */
  takeDispatches(): number {
    const n = this.dispatches;
    this.dispatches = 0;
    return n;
  }

  /** Samples the bytes tfjs holds in GPU buffers (live tensors plus its pool of freed buffers). */
  sample(): void {
    const m = tf.memory() as GpuMemoryInfo;
    this.peakAllocated = Math.max(this.peakAllocated, m.numBytesAllocatedInGPU ?? m.numBytesInGPU ?? 0);
  }

  /** The largest sample so far, and a reset. */
  takePeakBytes(): number {
    const peak = this.peakAllocated;
    this.peakAllocated = 0;
    return peak;
  }

  dispose(): void {
    this.restore();
  }
}
