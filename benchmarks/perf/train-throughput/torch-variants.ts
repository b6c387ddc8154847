import { existsSync } from 'node:fs';
import type { MatmulPrecision } from './bench-config.js';

/** Debian's two OpenBLAS builds (libopenblas0-openmp, libopenblas0-pthread); env vars override each folder. */
export const TORCH_BLAS_DIRS = {
  openmp: process.env.LOOKRIGHT_BENCH_TORCH_OPENMP_DIR ?? '/usr/lib/x86_64-linux-gnu/openblas-openmp',
  pthread: process.env.LOOKRIGHT_BENCH_TORCH_PTHREAD_DIR ?? '/usr/lib/x86_64-linux-gnu/openblas-pthread',
};

/** One environment the PyTorch reference runs in. */
export interface TorchVariant {
  /** e.g. `openmp`, `pthread/no-openblas-env`. */
  name: string;
  env: NodeJS.ProcessEnv;
}

/**
 * The PyTorch reference's environments: each OpenBLAS build whose folder exists first on LD_LIBRARY_PATH, once with
 * the environment's OPENBLAS_* settings (the core type bench:train chose, OPENBLAS_THREAD_TIMEOUT, ...) and once
 * with every OPENBLAS_* variable removed (OpenBLAS's own detection and defaults). bench:train runs them all and
 * compares lookright against the fastest. With neither folder, one variant: the environment as it is.
 */
export function torchVariants(
  env: NodeJS.ProcessEnv,
  dirs: Record<string, string> = TORCH_BLAS_DIRS,
  exists: (path: string) => boolean = existsSync,
): TorchVariant[] {
  const builds = Object.entries(dirs).filter(([, dir]) => exists(dir));
  if (builds.length === 0) return [{ name: 'default', env }];
  const withoutOpenblas = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('OPENBLAS_')));
  return builds.flatMap(([name, dir]) => {
    const path = [dir, env.LD_LIBRARY_PATH].filter(Boolean).join(':');
    return [
      { name, env: { ...env, LD_LIBRARY_PATH: path } },
      { name: `${name}/no-openblas-env`, env: { ...withoutOpenblas, LD_LIBRARY_PATH: path } },
    ];
  });
}

/** One PyTorch reference run: a variant's environment, its name as the line reports it, extra script arguments. */
export interface TorchRun extends TorchVariant {
  args: string[];
}

/**
 * Every variant at every matmul precision asked for: at f32 as it is (its name and command line unchanged), at bf16
 * once more with `--matmul-precision bf16` (the reference's CPU autocast), named `<variant>+bf16`.
 */
export function torchRuns(variants: TorchVariant[], precisions: readonly MatmulPrecision[]): TorchRun[] {
  return precisions.flatMap((precision) =>
    variants.map((v) =>
      precision === 'f32'
        ? { ...v, args: [] }
        : { name: `${v.name}+${precision}`, env: v.env, args: ['--matmul-precision', precision] },
    ),
  );
}
