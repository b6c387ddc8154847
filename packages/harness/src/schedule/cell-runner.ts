import type { CellConfig } from '../expand/cell-types.js';
import type { CellResult } from '../store/cell-ledger.js';

/** What a cell runner gets besides the cell's config; it runs inside the cell's own worker process. */
export interface CellRunContext {
  /**
   * This attempt's own folder. It holds what the cell's previous unfinished attempt left (moved here once that
   * attempt's worker is gone), so a runner may resume from its checkpoints, and a runner starting afresh must
   * overwrite, not append to, the files it finds. Report the files that make up the result in the returned
   * artifacts; when the store accepts the result this folder becomes the cell's output folder and the artifacts
   * are recorded at their paths there.
   */
  artifactDir: string;
  /** Appends a line to the cell's log file. */
  log(line: string): void;
  /** Records metrics of one optimiser step (buffered; written to the store in batches). */
  reportStep(step: number, metrics: Record<string, number>): void;
  /**
   * Whether the attempt should stop (its harness is gone). Cheap and synchronous: a runner with a long loop
   * should check it every step and throw, since a busy event loop hides every other signal.
   */
  isCancelled(): boolean;
  /** Environment of the worker (LOOKRIGHT_DATA_DIR, HF_HOME, ...). */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Executes one cell: the unit the scheduler runs, one per worker process. `id` and `version` are part of every
 * cell hash, so results of different runner code are never mixed. Throw a LookrightError to fail the cell with
 * a message; return only when metrics and artifacts are complete.
 */
export interface CellRunner<C = CellConfig> {
  readonly id: string;
  readonly version: string;
  /**
   * What, besides a cell's config, decides its numbers on this machine (for the trainer: the backend `auto`
   * resolves to, and whether native kernels run, which round differently). Part of every cell hash, so results
   * computed with different kernels are never taken for one another.
   */
  numerics?(): Record<string, string>;
  /** Lines `lookright run` prints once, before the cells start (e.g. that native kernels are off and how to enable them). */
  runNotes?(): string[];
  run(config: C, ctx: CellRunContext): Promise<CellResult>;
}

/** Where a worker process finds its runner: an importable module (path or package) and the export's name. */
export interface CellRunnerRef {
  module: string;
  exportName: string;
}

function isCellRunner<C>(value: unknown): value is CellRunner<C> {
  const v = value as Partial<CellRunner<C>> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    typeof v.version === 'string' &&
    typeof v.run === 'function'
  );
}

/**
 * Imports a runner by reference; a missing or malformed export is a CELL_RUNNER_INVALID error. `C` is the config
 * type the caller hands it (the reference says which runner, so which config, it is).
 */
export async function loadCellRunner<C = CellConfig>(ref: CellRunnerRef): Promise<CellRunner<C>> {
  const { harnessErrors } = await import('../errors.js');
  let imported: Record<string, unknown>;
  try {
    imported = (await import(ref.module)) as Record<string, unknown>;
  } catch (cause) {
    throw harnessErrors.runnerInvalid(ref.module, ref.exportName, `import failed: ${(cause as Error).message}`);
  }
  const runner = imported[ref.exportName];
  if (!isCellRunner<C>(runner)) {
    throw harnessErrors.runnerInvalid(ref.module, ref.exportName, 'the export is not {id, version, run}');
  }
  return runner;
}
