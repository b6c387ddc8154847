/**
 * Published float32 (non-tensor-core) peak throughput of GPUs, by the device name WebGPU reports, with the source of
 * each figure. Tensor-core (TF32, BF16) peaks are higher, but WGSL kernels run on the f32 CUDA cores, so f32 is the
 * ceiling lookright's kernels can reach. An unlisted device has no peak ("n/a").
 */

/** One published peak. */
export interface PublishedPeak {
  /** Matches the adapter's device / description string. */
  pattern: RegExp;
  name: string;
  tflops: number;
  source: string;
}

const H200 = 'NVIDIA H200 Tensor Core GPU datasheet, https://www.nvidia.com/en-us/data-center/h200/';
const H100 = 'NVIDIA H100 Tensor Core GPU datasheet, https://www.nvidia.com/en-us/data-center/h100/';
const A100 = 'NVIDIA A100 Tensor Core GPU datasheet, https://www.nvidia.com/en-us/data-center/a100/';
const L40S = 'NVIDIA L40S datasheet, https://www.nvidia.com/en-us/data-center/l40s/';
const L4 = 'NVIDIA L4 Tensor Core GPU datasheet, https://www.nvidia.com/en-us/data-center/l4/';
const A10 = 'NVIDIA A10 Tensor Core GPU datasheet, https://www.nvidia.com/en-us/data-center/products/a10-gpu/';

/** Most specific first: an NVL or PCIe board before the SXM part of the same name. */
export const publishedF32Peaks: readonly PublishedPeak[] = [
  { pattern: /H200 NVL/i, name: 'NVIDIA H200 NVL', tflops: 60, source: H200 },
  { pattern: /H200/i, name: 'NVIDIA H200 SXM', tflops: 67, source: H200 },
  { pattern: /H100 NVL/i, name: 'NVIDIA H100 NVL', tflops: 60, source: H100 },
  { pattern: /H100 PCIe/i, name: 'NVIDIA H100 PCIe', tflops: 51, source: H100 },
  { pattern: /H100/i, name: 'NVIDIA H100 SXM', tflops: 67, source: H100 },
  { pattern: /A100/i, name: 'NVIDIA A100', tflops: 19.5, source: A100 },
  { pattern: /L40S/i, name: 'NVIDIA L40S', tflops: 91.6, source: L40S },
  { pattern: /\bL4\b/i, name: 'NVIDIA L4', tflops: 30.3, source: L4 },
  { pattern: /\bA10\b/i, name: 'NVIDIA A10', tflops: 31.2, source: A10 },
];

/** The published f32 peak of the adapter named `device` (and `description`), or null when unlisted. */
export function publishedF32Peak(device: string, description = ''): PublishedPeak | null {
  const names = `${device} ${description}`;
  return publishedF32Peaks.find((p) => p.pattern.test(names)) ?? null;
}
