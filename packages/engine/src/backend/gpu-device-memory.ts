/**
 * How much memory the WebGPU device has. WebGPU itself does not say, so the number comes from, in order:
 * LOOKRIGHT_GPU_MEMORY_MIB; for a software adapter, the host's RAM (llvmpipe allocates its buffers there); for an
 * NVIDIA adapter, `nvidia-smi --query-gpu=memory.total`; otherwise it is unknown and the plan says so.
 */
import { execFileSync } from 'node:child_process';
import { totalmem } from 'node:os';
import type { WebgpuAdapterDescription } from './webgpu-adapter.js';

/** Device memory in bytes (null: unknown) and where the number comes from. */
export interface DeviceMemory {
  bytes: number | null;
  source: string;
}

/** Runs nvidia-smi's memory query; returns its stdout, or undefined when it cannot run. */
export type NvidiaSmiQuery = () => string | undefined;

const queryNvidiaSmi: NvidiaSmiQuery = () => {
  try {
    return execFileSync('nvidia-smi', ['--query-gpu=memory.total', '--format=csv,noheader,nounits'], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return undefined;
  }
};

/** The device memory of `adapter`, with its source (see the module comment). */
export function gpuDeviceMemory(
  adapter: Pick<WebgpuAdapterDescription, 'kind' | 'vendor' | 'device' | 'description'>,
  env: NodeJS.ProcessEnv = process.env,
  nvidiaSmi: NvidiaSmiQuery = queryNvidiaSmi,
): DeviceMemory {
  const mib = Number(env.LOOKRIGHT_GPU_MEMORY_MIB);
  if (env.LOOKRIGHT_GPU_MEMORY_MIB && Number.isFinite(mib) && mib > 0)
    return { bytes: mib * 2 ** 20, source: 'LOOKRIGHT_GPU_MEMORY_MIB' };
  if (adapter.kind === 'software') return { bytes: totalmem(), source: 'software adapter: host RAM (os.totalmem)' };
  if (/nvidia/i.test(`${adapter.vendor} ${adapter.device} ${adapter.description}`)) {
    const first = nvidiaSmi()?.split('\n')[0]?.trim();
    const total = Number(first);
    if (first && Number.isFinite(total) && total > 0)
      return { bytes: total * 2 ** 20, source: 'nvidia-smi memory.total (first GPU)' };
  }
  return {
    bytes: null,
    source: 'unknown: WebGPU does not report device memory (set LOOKRIGHT_GPU_MEMORY_MIB to check the total)',
  };
}
