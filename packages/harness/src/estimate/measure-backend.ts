import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The FLOP rate the current backend reaches on a plain 2-D matMul, measured in a child process. */
export interface BackendRate {
  backend: string;
  gflops: number;
}

/** Runs backend-probe.ts in a fresh process (the same backend choice a worker makes); an error says why not. */
export function measureBackend(backend = 'auto'): BackendRate | { error: string } {
  const probe = fileURLToPath(new URL('./backend-probe.ts', import.meta.url));
  const result = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), probe, backend], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const last = result.stdout?.trim().split('\n').at(-1) ?? '';
  try {
    const parsed = JSON.parse(last) as BackendRate;
    if (typeof parsed.gflops === 'number' && parsed.gflops > 0) return parsed;
  } catch {
    // fall through to the error below
  }
  return {
    error: `backend probe failed (exit ${result.status}): ${(result.stderr ?? '').trim().split('\n').at(-1) ?? ''}`,
  };
}
