/**
 * Finds a WebGPU adapter through Dawn's Node bindings (npm `webgpu`): a hardware adapter on the platform's native
 * Dawn backend (Vulkan on Linux, Metal on macOS, D3D12 on Windows), or, only when LOOKRIGHT_WEBGPU_ADAPTER=software,
 * Mesa's OpenGL software rasteriser through EGL (Dawn rejects Mesa's software Vulkan, lavapipe).
 */
import { existsSync, readdirSync } from 'node:fs';
import type * as Dawn from 'webgpu';
import { engineErrors } from '../errors.js';
import { isPackageInstalled } from './native-tfjs.js';
import { findSharedLibrary, vulkanIcdFiles } from './system-libraries.js';

/** The npm package with Dawn's Node bindings, and the tfjs backend that runs on it. */
export const WEBGPU_PACKAGE = 'webgpu';
export const TFJS_WEBGPU_PACKAGE = '@tensorflow/tfjs-backend-webgpu';

/** What the run log says about the adapter. */
export interface WebgpuAdapterDescription {
  /** `hardware`, or `software` for a CPU rasteriser (llvmpipe, lavapipe, SwiftShader). */
  kind: 'hardware' | 'software';
  /** Dawn backend asked for: vulkan, metal, d3d12 or opengl. */
  dawnBackend: string;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True when the adapter only offers WebGPU's compatibility feature level (the OpenGL backend). */
  compatibility: boolean;
  limits: { maxStorageBufferBindingSize: number; maxBufferSize: number; maxComputeWorkgroupStorageSize: number };
  features: string[];
}

/** An adapter found by {@link requestWebgpuAdapter}, with the Dawn globals tfjs-backend-webgpu needs. */
export interface FoundAdapter {
  /** Dawn's instance: it must stay referenced while the device is used (collecting it crashes the process). */
  gpu: GPU;
  adapter: GPUAdapter;
  globals: Record<string, unknown>;
  description: WebgpuAdapterDescription;
}

/** Adapter names of CPU rasterisers. */
export const SOFTWARE_ADAPTER_NAMES = /llvmpipe|lavapipe|softpipe|swiftshader|software/i;

/** True when LOOKRIGHT_WEBGPU_ADAPTER asks for the software (OpenGL/EGL) adapter. */
export function softwareAdapterRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LOOKRIGHT_WEBGPU_ADAPTER === 'software';
}

/** The Dawn backend for hardware adapters on this platform. */
export function nativeDawnBackend(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'metal';
  if (platform === 'win32') return 'd3d12';
  return 'vulkan';
}

/**
 * Requests the adapter: hardware on the platform's backend, or the software one when asked for. Refuses with a typed
 * error naming what is missing: the npm packages, libvulkan1 or a GPU Vulkan driver, EGL for the software adapter,
 * or a hardware adapter when only a software one exists.
 */
export async function requestWebgpuAdapter(software = softwareAdapterRequested()): Promise<FoundAdapter> {
  for (const pkg of [WEBGPU_PACKAGE, TFJS_WEBGPU_PACKAGE])
    if (!isPackageInstalled(pkg))
      throw engineErrors.webgpuNotInstalled(
        pkg,
        `pnpm add --filter @lookright/engine ${WEBGPU_PACKAGE}@0.6.2 ${TFJS_WEBGPU_PACKAGE}@4.22.0`,
      );
  if (software && process.platform === 'linux') assertEglPresent();
  if (software) process.env.EGL_PLATFORM ??= 'surfaceless';
  const dawnBackend = software ? 'opengl' : nativeDawnBackend();
  const { create, globals } = (await import(WEBGPU_PACKAGE)) as typeof Dawn;
  const gpu = create([`backend=${dawnBackend}`]);
  const adapter = await gpu.requestAdapter({
    powerPreference: 'high-performance',
    ...(software ? { featureLevel: 'compatibility' } : {}),
  } as GPURequestAdapterOptions);
  if (!adapter) throw software ? noSoftwareAdapter() : noHardwareAdapter(dawnBackend);
  const description = describeAdapter(adapter, dawnBackend, software);
  if (!software && description.kind === 'software')
    throw engineErrors.webgpuNoAdapter(
      `the only adapter is a software rasteriser (${description.device || description.description})`,
      'Use a machine with a GPU and its Vulkan driver, or set LOOKRIGHT_WEBGPU_ADAPTER=software to run (slowly) on the CPU rasteriser, e.g. for tests; --backend wasm is faster on a CPU.',
    );
  return { gpu, adapter, globals: globals as Record<string, unknown>, description };
}

/** Vendor, architecture, kind, limits and features of an adapter. */
export function describeAdapter(adapter: GPUAdapter, dawnBackend: string, software: boolean): WebgpuAdapterDescription {
  const info = adapter.info;
  const names = `${info.device} ${info.description}`;
  const fallback = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return {
    kind: software || fallback || SOFTWARE_ADAPTER_NAMES.test(names) ? 'software' : 'hardware',
    dawnBackend,
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    compatibility: dawnBackend === 'opengl',
    limits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
      maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
    },
    features: [...adapter.features].map(String).sort(),
  };
}

/** One log line: `webgpu adapter: hardware, NVIDIA (ampere) ..., vulkan; maxStorageBufferBindingSize 2048 MiB, ...`. */
export function formatAdapterLine(d: WebgpuAdapterDescription): string {
  const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
  const who = [d.vendor || 'unknown vendor', d.architecture && `(${d.architecture})`, d.device, `- ${d.description}`];
  return (
    `webgpu adapter: ${d.kind}, ${who.filter(Boolean).join(' ')}; dawn ${d.dawnBackend}` +
    `${d.compatibility ? ' (compatibility mode)' : ''}; maxStorageBufferBindingSize ${mib(d.limits.maxStorageBufferBindingSize)}, ` +
    `maxBufferSize ${mib(d.limits.maxBufferSize)}; features: ${d.features.join(' ') || 'none'}`
  );
}

function assertEglPresent(): void {
  const install = 'apt-get install -y libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri (Debian/Ubuntu)';
  if (!findSharedLibrary('libEGL.so.1')) throw engineErrors.webgpuLibraryMissing('libEGL.so.1 (libegl1)', install);
  if (!findSharedLibrary('libEGL_mesa.so.0'))
    throw engineErrors.webgpuLibraryMissing("Mesa's EGL driver libEGL_mesa.so.0 (libegl-mesa0)", install);
  if (!findSharedLibrary('dri/swrast_dri.so'))
    throw engineErrors.webgpuLibraryMissing("Mesa's software rasteriser dri/swrast_dri.so (libgl1-mesa-dri)", install);
}

function noSoftwareAdapter() {
  return engineErrors.webgpuNoAdapter(
    "Dawn's OpenGL backend found no adapter through EGL (EGL_PLATFORM=surfaceless)",
    'Install Mesa: apt-get install -y libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri, or unset LOOKRIGHT_WEBGPU_ADAPTER and use a GPU.',
  );
}

function noHardwareAdapter(dawnBackend: string) {
  const software =
    'Set LOOKRIGHT_WEBGPU_ADAPTER=software for the (slow) OpenGL software adapter, or choose --backend wasm.';
  if (dawnBackend !== 'vulkan')
    return engineErrors.webgpuNoAdapter(
      `Dawn's ${dawnBackend} backend found no GPU`,
      `Check the GPU driver. ${software}`,
    );
  if (!findSharedLibrary('libvulkan.so.1'))
    return engineErrors.webgpuLibraryMissing(
      'the Vulkan loader libvulkan.so.1',
      "apt-get install -y libvulkan1, plus the GPU's Vulkan driver (NVIDIA: the driver's Vulkan ICD, e.g. nvidia-vulkan-icd or libnvidia-gl-<version>; AMD/Intel: mesa-vulkan-drivers); without a GPU, LOOKRIGHT_WEBGPU_ADAPTER=software runs on the CPU rasteriser",
    );
  const icds = vulkanIcdFiles();
  const hardware = icds.filter((f) => !/lvp_icd/.test(f));
  if (hardware.length === 0)
    return engineErrors.webgpuLibraryMissing(
      `a GPU Vulkan driver (Vulkan ICD files found: ${icds.join(', ') || 'none'}; Dawn rejects Mesa's software lavapipe)`,
      "the GPU's Vulkan driver (NVIDIA: nvidia-vulkan-icd or libnvidia-gl-<version>; AMD/Intel: mesa-vulkan-drivers), then check with vulkaninfo --summary; without a GPU, LOOKRIGHT_WEBGPU_ADAPTER=software runs on the CPU rasteriser",
    );
  return engineErrors.webgpuNoAdapter(
    `Dawn's Vulkan backend found no GPU (Vulkan ICD files: ${hardware.join(', ')}${seesGpuDevice() ? '' : '; no GPU device node under /dev'})`,
    `Check the driver with vulkaninfo --summary (and nvidia-smi for NVIDIA). ${software}`,
  );
}

/** True when a GPU device node exists (/dev/dri/renderD*, /dev/nvidia0): worth probing for a hardware adapter. */
export function seesGpuDevice(): boolean {
  if (existsSync('/dev/nvidia0') || existsSync('/proc/driver/nvidia/gpus')) return true;
  try {
    return readdirSync('/dev/dri').some((f) => f.startsWith('renderD'));
  } catch {
    return false;
  }
}
