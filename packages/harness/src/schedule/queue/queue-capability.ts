import { readFileSync } from 'node:fs';
import { contentHash } from '@lookright/core';
import type { RunnerIdentity } from '../../expand/cell-types.js';

const lookrightVersion = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The BullMQ key prefix of every lookright queue. */
export const queuePrefix = 'lookright';

/**
 * What a worker must have to compute a cell exactly as its hash says: the runner (id, version) and its numerics on
 * the worker's machine (backend `auto` resolves to, native kernels on/off), and the lookright version. Cells and
 * workers with equal capabilities meet in one BullMQ queue, so a worker only ever takes cells it computes
 * identically, and a cell no worker has the capability for stays in a queue without workers (which the harness
 * reports).
 */
export interface Capability {
  runner: { id: string; version: string };
  numerics: Record<string, string>;
  lookright: string;
}

/** The capability a cell's hash was computed for. */
export function capabilityOf(runner: RunnerIdentity): Capability {
  return {
    runner: { id: runner.id, version: runner.version },
    numerics: runner.numerics ?? {},
    lookright: lookrightVersion,
  };
}

/** The queue of a capability: `cells-<first 16 hex of its content hash>`. */
export function queueNameOf(capability: Capability): string {
  return `cells-${contentHash(capability).slice(0, 16)}`;
}

/** One line naming a capability, e.g. `runner:train@0.1.0, backend.auto=wasm, native=on, lookright 0.1.0`. */
export function describeCapability(capability: Capability): string {
  const numerics = Object.entries(capability.numerics).map(([k, v]) => `${k}=${v}`);
  const runner = `${capability.runner.id}@${capability.runner.version}`;
  return [runner, ...numerics, `lookright ${capability.lookright}`].join(', ');
}
