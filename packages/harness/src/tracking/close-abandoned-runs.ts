import type { TrackedExecution } from '@lookright/core';
import { isAlive } from '../store/process-identity.js';
import type { RunStore } from '../store/run-store.js';
import { queueCellEnd } from './cell-end-events.js';
import { enqueueTrackingEvent } from './drain-outbox.js';

/**
 * Closes the tracked runs a killed harness left open. A harness records a cell's end in the store (its worker
 * does, or the harness itself) and then queues the events that close the cell's tracked run; `kill -9` between
 * the two leaves the run RUNNING, and a FINISHED cell is never run again to close it. For every cell whose latest
 * queued `cell.start` has no `cell.end` after it, that is FINISHED or FAILED in the store, and whose ending
 * attempt's harness is gone, this queues the events that harness would have queued (metrics, outcome tags,
 * files, end), under the execution that started the run. A live harness's cells are left to it. Returns the
 * hashes of the cells whose runs it closes (`lookright run` and `lookright mlflow sync` call it before draining).
 */
export function queueEndsOfAbandonedRuns(store: RunStore): string[] {
  const closed: string[] = [];
  for (const start of store.outbox.startsWithoutEnd()) {
    const attempt = store.queries.endedAttempt(start.cellHash);
    if (!attempt || isAlive(attempt.owner)) continue;
    const { suiteName, storeId, executionId } = start.payload as TrackedExecution;
    const outcome =
      attempt.status === 'FINISHED'
        ? { status: 'FINISHED' as const, seconds: 0 }
        : {
            status: 'FAILED' as const,
            seconds: 0,
            code: attempt.errorCode ?? 'CELL_FAILED',
            message: attempt.errorMessage ?? '',
            logPath: '',
          };
    queueCellEnd(store, { suiteName, storeId, executionId }, start.cellHash, outcome, attempt.id);
    closed.push(start.cellHash);
  }
  return closed;
}

/**
 * Ends, as KILLED, the tracked run of each execution whose harness is gone without ending it (`execution.start`
 * queued, no `execution.end`, the harness process no longer running here). Call it after queueEndsOfAbandonedRuns.
 * An execution whose harness runs on another host is left open, and so is one whose process id is taken again by
 * a process of the same start time, or by any process where the start time is unknown (no /proc, or an execution
 * begun before schema 3 that claimed no cell). Returns the execution ids.
 */
export function queueEndsOfAbandonedExecutions(store: RunStore): number[] {
  const closed: number[] = [];
  for (const start of store.outbox.executionsWithoutEnd()) {
    const owner = store.queries.executionOwner(start.executionId);
    if (!owner || isAlive(owner)) continue;
    const { suiteName, storeId, executionId } = start.payload as TrackedExecution;
    enqueueTrackingEvent(store.outbox, {
      type: 'execution.end',
      suiteName,
      storeId,
      executionId,
      status: 'KILLED',
      endedAt: Date.now(),
    });
    closed.push(executionId);
  }
  return closed;
}

/** The line saying what a run or a sync closed: `closing 1 cell run(s) and 1 execution run(s) a stopped harness left open`. */
export const closingLine = (cells: number, executions: number) =>
  `closing ${cells} cell run(s) and ${executions} execution run(s) a stopped harness left open`;
