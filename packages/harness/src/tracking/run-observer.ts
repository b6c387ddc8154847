import type { CellFileStore } from '@lookright/core';
import type { SuiteCell } from '../expand/pretrain-cells.js';
import type { ScheduleListener, ScheduleSummary } from '../schedule/scheduler.js';
import type { RunStore } from '../store/run-store.js';

/** What an observer learns about an execution (one `run` invocation). */
export interface ExecutionInfo {
  store: RunStore;
  suiteName: string;
  executionId: number;
  /** The cells this execution will try (those not FINISHED before it started). */
  cells: readonly SuiteCell[];
}

/**
 * Watches a run without taking part in it: trackers (MLflow) use this to queue events in the store's outbox.
 * Cell callbacks come from the scheduler; an observer must not throw, and must not block on a network.
 */
export interface RunObserver extends ScheduleListener {
  /** A tracker's way to carry cell files between machines (MLflow artifacts), offered to the scheduler. */
  readonly cellFiles?: CellFileStore;
  executionStarted?(info: ExecutionInfo): void | Promise<void>;
  executionEnded?(info: ExecutionInfo & { summary: ScheduleSummary }): void | Promise<void>;
  /** A run found every cell FINISHED and runs nothing (no execution begins); the store is open until this settles. */
  nothingToRun?(store: RunStore): void | Promise<void>;
}

/** One listener that forwards every callback to each of `listeners`, in order. */
export function fanOut(listeners: readonly ScheduleListener[]): ScheduleListener {
  return {
    cellStarted: (cell, info) => {
      for (const l of listeners) l.cellStarted?.(cell, info);
    },
    cellEnded: (cell, outcome) => {
      for (const l of listeners) l.cellEnded?.(cell, outcome);
    },
    cellBlocked: (cell) => {
      for (const l of listeners) l.cellBlocked?.(cell);
    },
  };
}
