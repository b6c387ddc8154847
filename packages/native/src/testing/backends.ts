// the engine's one gradient registration (tfjs-core's own ESM gradient files cannot load under Node's ESM loader)
import '@lookright/engine/stock-gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { ready, setBackend } from '@tensorflow/tfjs-core';
import { disableNative, enableNative } from '../enable-native.js';
import { bf16MatmulSupport } from '../matmul-precision.js';
import { loadAddon, type NativeAddon } from '../native-addon.js';

/** Backends the native kernels serve; tests run once per backend. */
export const nativeBackends = ['wasm', 'cpu'] as const;

/** Switches tfjs to `name` with native kernels off (tfjs's own kernels). */
export async function useStockBackend(name: string): Promise<void> {
  disableNative();
  await setBackend(name);
  await ready();
}

/** Switches tfjs to `name` with native kernels on; throws when they cannot be enabled. */
export async function useNativeBackend(name: string, matmul = true): Promise<void> {
  await useStockBackend(name);
  const status = enableNative({ ignoreEnv: true, log: () => {}, matmul });
  if (!status.enabled) throw new Error(`native kernels not enabled: ${status.reason}`);
}

/**
 * Mocha guard: skips (with the reason in the title of the skip) when the addon is not built, or fails when
 * LOOKRIGHT_REQUIRE_NATIVE=1 (.ci/run sets it: it installs libopenblas-dev, so a missing addon there is a broken
 * build, not a machine without OpenBLAS). The fallback is tested apart.
 */
export function requireAddon(ctx: Mocha.Context): void {
  const loaded = loadAddon();
  if (!loaded.ok && process.env.LOOKRIGHT_REQUIRE_NATIVE === '1') {
    throw new Error(`LOOKRIGHT_REQUIRE_NATIVE=1 but the native addon is not available: ${loaded.reason}`);
  }
  if (!loaded.ok) {
    if (ctx.test) ctx.test.title += ` (skipped: ${loaded.reason})`;
    ctx.skip();
  }
}

/**
 * Mocha guard for the bf16 kernel: requireAddon, then skips (the reason in the title) when this CPU or OS offers no
 * AMX-BF16, which no install can fix. Returns the addon.
 */
export function requireAmxBf16(ctx: Mocha.Context): NativeAddon {
  requireAddon(ctx);
  const support = bf16MatmulSupport();
  if (!support.ok) {
    if (ctx.test) ctx.test.title += ` (skipped: ${support.reason})`;
    ctx.skip();
  }
  const loaded = loadAddon();
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded.addon;
}
