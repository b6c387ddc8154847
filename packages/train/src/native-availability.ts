import { ENABLE_HINT, loadAddon } from '@lookright/native';

/** Whether cells will run with @lookright/native's kernels; if not, why, and how to enable them when that helps. */
export type NativeAvailability = { on: true } | { on: false; reason: string; hint?: string };

/** Checks, without enabling anything, whether runCell would use the native kernels (LOOKRIGHT_NATIVE=0 turns them off). */
export function nativeAvailability(
  env: Readonly<Record<string, string | undefined>> = process.env,
): NativeAvailability {
  if (env.LOOKRIGHT_NATIVE === '0') return { on: false, reason: 'LOOKRIGHT_NATIVE=0' };
  const loaded = loadAddon();
  return loaded.ok ? { on: true } : { on: false, reason: loaded.reason, hint: ENABLE_HINT };
}
