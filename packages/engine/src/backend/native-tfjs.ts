import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { engineErrors } from '../errors.js';

/** The optional TensorFlow C-library bindings; each registers the tfjs backend named `tensorflow`. */
export const NATIVE_PACKAGES = {
  tensorflow: '@tensorflow/tfjs-node',
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
} as const;

const GPU_REQUIREMENTS =
  ' tfjs-node-gpu 4.22 needs Linux x86-64, an NVIDIA GPU with its driver, CUDA 11.2 and cuDNN 8.1 (TensorFlow 2.9 C library); check with nvidia-smi.';

const require = createRequire(import.meta.url);

/** True when the package can be resolved from @lookright/engine (installed as an optional dependency). */
export function isPackageInstalled(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

/** True when the NVIDIA kernel driver reports at least one GPU (no CUDA library is loaded to find out). */
export function seesNvidiaGpu(): boolean {
  const dir = '/proc/driver/nvidia/gpus';
  try {
    return existsSync(dir) && readdirSync(dir).length > 0;
  } catch {
    return false;
  }
}

/**
 * Imports tfjs-node or tfjs-node-gpu, which registers the `tensorflow` tfjs backend. A missing package is refused
 * with the install command (and, for the GPU build, its CUDA/cuDNN requirements); a package that fails to load
 * (e.g. a missing libtensorflow or CUDA library) is refused with the loader's reason.
 */
export async function loadNativeTfjs(name: keyof typeof NATIVE_PACKAGES): Promise<void> {
  const pkg = NATIVE_PACKAGES[name];
  if (!isPackageInstalled(pkg))
    throw engineErrors.backendNotInstalled(name, pkg, name === 'tensorflow-gpu' ? GPU_REQUIREMENTS : '');
  try {
    await import(pkg);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw engineErrors.backendUnavailable(name, `${pkg} is installed but failed to load: ${reason}`);
  }
}
