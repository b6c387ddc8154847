import type { TrackedExecution } from '@lookright/core';
import { isAlive } from '../store/process-identity.js';
import type { RunStore } from '../store/run-store.js';
import { queueCellEnd } from './cell-end-events.js';

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
