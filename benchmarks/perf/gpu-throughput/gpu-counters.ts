import * as tf from '@tensorflow/tfjs-core';

/** tfjs-backend-webgpu's memory figures: live bytes, and live plus pooled (what its buffers hold on the GPU). */
type GpuMemoryInfo = tf.MemoryInfo & { numBytesInGPU?: number; numBytesAllocatedInGPU?: number };

/** The private parts of tfjs-backend-webgpu 4.22's backend the counters wrap. */
interface CountedBackend {
  runWebGPUProgram: (...args: unknown[]) => unknown;
  uploadToGPU: (dataId: object) => void;
  tensorMap: { get(dataId: object): { values?: unknown } | undefined };
}

/**
 * Counts compute dispatches (runWebGPUProgram: one dispatch each) and uploads of CPU-held values to the GPU (scalar
 * constants, masks built on the CPU), and tracks peak GPU bytes.
 */
export class GpuCounters {
  private dispatches = 0;
  private uploads = 0;
  private peakAllocated = 0;
  private readonly restore: () => void;

  constructor() {
    const backend = tf.backend() as unknown as CountedBackend;
    const { runWebGPUProgram, uploadToGPU } = backend;
    backend.runWebGPUProgram = (...args: unknown[]) => {
      this.dispatches++;
      return runWebGPUProgram.apply(backend, args);
    };
    backend.uploadToGPU = (dataId) => {
      if (backend.tensorMap.get(dataId)?.values != null) this.uploads++;
      uploadToGPU.call(backend, dataId);
    };
    this.restore = () => {
      backend.runWebGPUProgram = runWebGPUProgram;
      backend.uploadToGPU = uploadToGPU;
    };
  }

  /** Dispatches since the last call. */
  takeDispatches(): number {
    const n = this.dispatches;
    this.dispatches = 0;
    return n;
  }

  /** Uploads since the last call. */
  takeUploads(): number {
    const n = this.uploads;
    this.uploads = 0;
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
