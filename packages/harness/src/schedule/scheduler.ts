import type { CellFileStore } from '@lookright/core';
import type { SuiteCell } from '../expand/pretrain-cells.js';
import type { CellRunnerRef } from './cell-runner.js';

/** Limits applied to every cell's worker. */
export interface CellLimits {
  /** Wall-clock seconds before the worker is killed (CELL_TIMEOUT); null for none. */
  timeoutSeconds: number | null;
  /** Resident memory (MiB) before the worker is killed (CELL_MEMORY); also caps the V8 heap. Null for none. */
  memoryMiB: number | null;
}

/** Everything a scheduler needs to run cells of one execution. */
export interface ScheduleJob {
  cells: readonly SuiteCell[];
  /** The run store folder; workers open it themselves. */
  storeDir: string;
  /**
   * The caller holds the store open and has checked its integrity since opening it, so the scheduler need not
   * check again (a queue worker runs each cell as one job over its scratch store: a check per cell would read the
   * whole, ever growing file each time).
   */
  storeChecked?: boolean;
  executionId: number;
  runner: CellRunnerRef;
  /** The runner of a cell that `runner` does not run (a suite's pre-training cells run the pre-training runner). */
  runnerOf?(cell: SuiteCell): CellRunnerRef | undefined;
  /** Cells that may start only after another cell of the job ended (absent: every cell may start at once). */
  dependencies?: CellDependencies;
  limits: CellLimits;
  /**
   * The suite and store the cells are tracked under, and the tracker's file transport when it has one (MLflow):
   * a queue worker may then send a cell's files as artifacts of its run instead of through Redis.
   */
  tracking?: { suiteName: string; storeId: string; cellFiles?: CellFileStore };
}

/**
 * Which cells of a job wait for another (a fine-tuning cell for the cell pre-training its backbone). A scheduler
 * that honours it (the local pool) starts such a cell only after the cell it waits for ended, whichever cells
 * still run; one that does not (the queue) refuses jobs that need it.
 */
export interface CellDependencies {
  /** The hash of the cell `cell` waits for; undefined when it waits for none. */
  of(cell: SuiteCell): string | undefined;
  /**
   * Called once, when the cell `cell` waits for has ended in this job (or was not part of it) and the run was not
   * stopped: the cell to run (e.g. with the finished cell's checkpoint linked), or null to leave it unrun (blocked;
   * the caller reports why). Counted in ScheduleSummary.blocked.
   */
  release(cell: SuiteCell): SuiteCell | null;
}

/** How one cell ended in this execution. */
export type CellOutcome =
  | { status: 'FINISHED'; seconds: number }
  | { status: 'FAILED'; seconds: number; code: string; message: string; logPath: string }
  /** Not run: already FINISHED, or running under another live harness. */
  | { status: 'SKIPPED'; reason: 'finished' | 'running-elsewhere' };

/** Progress callbacks; all optional. */
export interface ScheduleListener {
  cellStarted?(cell: SuiteCell, info: { attemptId: number; reason: string; logPath: string }): void;
  cellEnded?(cell: SuiteCell, outcome: CellOutcome): void;
  /** A cell CellDependencies.release refused: it is not run in this execution (and never started). */
  cellBlocked?(cell: SuiteCell): void;
}

export interface ScheduleSummary {
  finished: number;
  failed: number;
  skipped: number;
  /** True when stop() was called before every cell had run. */
  interrupted: boolean;
  /** Cells not run because CellDependencies.release refused them (their pre-training cell did not finish). */
  blocked?: number;
}

/**
 * Runs cells to FINISHED or FAILED, recording every state change in the run store. The local pool is one
 * implementation; a queue across machines can be another, registered without changing callers.
 */
export interface Scheduler {
  /** Where cells run, for the run's first line (e.g. `queue redis://host:6379`); the local pool says how many workers. */
  readonly label?: string;
  run(job: ScheduleJob, listener?: ScheduleListener): Promise<ScheduleSummary>;
  /** Launches nothing more and kills running workers (their cells become FAILED, so the next run retries them). */
  stop(): void;
}
