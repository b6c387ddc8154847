import { blasNumerics, ENABLE_HINT, loadAddon } from '@lookright/native';

/**
 * Whether cells will run with @lookright/native's kernels; if so, which BLAS computes their float32 matmuls
 * (blasNumerics: library version, kernel core, and whether products are held to one thread); if not, why, and how
 * to enable them when that helps.
 */
export type NativeAvailability = { on: true; blas: string } | { on: false; reason: string; hint?: string };

/** Checks, without enabling anything, whether runCell would use the native kernels (LOOKRIGHT_NATIVE=0 turns them off). */
export function nativeAvailability(
  env: Readonly<Record<string, string | undefined>> = process.env,
): NativeAvailability {
  if (env.LOOKRIGHT_NATIVE === '0') return { on: false, reason: 'LOOKRIGHT_NATIVE=0' };
  const loaded = loadAddon();
  if (!loaded.ok) return { on: false, reason: loaded.reason, hint: ENABLE_HINT };
  return { on: true, blas: blasNumerics(loaded.addon.blasInfo()) };
}

/**
 * A runner's numerics for the native kernels: `native` on or off and, when on, the BLAS identity, which a cell's
 * hash covers (two OpenBLAS versions or kernel cores give different float32 products).
 */
export function nativeNumerics(): { native: 'on'; blas: string } | { native: 'off' } {
  const native = nativeAvailability();
  return native.on ? { native: 'on', blas: native.blas } : { native: 'off' };
}
