import { LookrightError } from '@lookright/core';

const disableHint = 'Set LOOKRIGHT_NATIVE=0 to run on pure tfjs meanwhile.';

/** Coded errors of @lookright/native. */
export const nativeErrors = {
  backendLayoutChanged: (backend: string, field: string, tfjsVersion: string) =>
    new LookrightError(
      'NATIVE_BACKEND_LAYOUT',
      `@lookright/native reads the private field ${field} of the tfjs ${backend} backend, and it is missing or changed (tfjs-core ${tfjsVersion}; the addon is written against 4.22.0)`,
      `Pin @tensorflow/tfjs-core, -backend-wasm and -backend-cpu to exactly 4.22.0 (packages/native/package.json), or port packages/native/src/backend-memory.ts to the new layout. ${disableHint}`,
    ),
  unsupportedBackend: (backend: string) =>
    new LookrightError(
      'NATIVE_UNSUPPORTED_BACKEND',
      `@lookright/native accelerates the wasm and cpu backends, not ${backend}`,
      `Use --backend wasm or cpu for native kernels. ${disableHint}`,
    ),
  addonMissing: (reason: string) =>
    new LookrightError(
      'NATIVE_ADDON_MISSING',
      `the @lookright/native addon is not available: ${reason}`,
      'Install g++, make, python3 and libopenblas-dev (apt-get install -y g++ make python3 libopenblas-dev), then run `pnpm --filter @lookright/native run build`.',
    ),
  kernelShape: (kernel: string, detail: string) =>
    new LookrightError(
      'NATIVE_KERNEL_SHAPE',
      `native kernel ${kernel}: ${detail}`,
      'This is a caller bug: the op wrapper passes shapes the kernel supports; report it with the shapes above.',
    ),
  badKernelThreads: (value: string) =>
    new LookrightError(
      'NATIVE_KERNEL_THREADS',
      `LOOKRIGHT_NATIVE_KERNEL_THREADS is "${value}", not a whole number from 1 to 64`,
      'Set LOOKRIGHT_NATIVE_KERNEL_THREADS to the number of threads for the element-wise kernels (e.g. 2), or unset it to use the BLAS thread count.',
    ),
  notNative: (what: string) =>
    new LookrightError(
      'NATIVE_NOT_ENABLED',
      `${what} needs the native kernels, but they are not enabled on this backend`,
      'Call enableNative() after the tfjs backend is ready, and check its result before using native ops.',
    ),
  bf16Unavailable: (reason: string) =>
    new LookrightError(
      'NATIVE_BF16_UNAVAILABLE',
      `matmul precision bf16 cannot run here: ${reason}`,
      'Run bf16 cells on a CPU with Intel AMX-BF16 (Sapphire Rapids or later; Linux 5.16+), or remove matmulPrecision: bf16 from the recipe to compute in float32.',
    ),
};
