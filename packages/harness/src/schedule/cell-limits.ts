import { harnessErrors } from '../errors.js';
import type { CellLimits } from './scheduler.js';

/**
 * Checks the per-cell limits before any worker starts: the time limit must be a positive number of seconds (any
 * size; long ones are waited out in chained timers), the memory limit a whole number of MiB that V8's
 * --max-old-space-size accepts (no exponent notation, so at most Number.MAX_SAFE_INTEGER). A bad one is a
 * RUN_BAD_OPTION error naming the flag.
 */
export function checkCellLimits(limits: CellLimits): void {
  const { timeoutSeconds: seconds, memoryMiB: mib } = limits;
  if (seconds !== null && !(Number.isFinite(seconds) && seconds > 0))
    throw harnessErrors.badOption('--cell-timeout', String(seconds), 'a finite number of seconds > 0');
  if (mib !== null && !(Number.isSafeInteger(mib) && mib >= 1))
    throw harnessErrors.badOption(
      '--cell-memory',
      String(mib),
      `a whole number of MiB from 1 to ${Number.MAX_SAFE_INTEGER}`,
    );
}
