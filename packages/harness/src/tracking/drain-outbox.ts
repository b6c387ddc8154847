import { LookrightError, type Tracker, type TrackingEvent } from '@lookright/core';
import type { Outbox } from '../store/outbox.js';

/** What one drain of the outbox achieved. */
export interface DrainResult {
  sent: number;
  /** Events still queued (the backend was unreachable, or it refused them). */
  pending: number;
  /** Whether the drain stopped because a tracker's backend was unreachable. */
  unreachable: boolean;
  /** Whether the drain stopped because its signal was aborted (the caller's time for it ran out). */
  stopped: boolean;
  /** Events the backend refused, with its reason (they stay queued for a later sync). */
  refused: { id: number; type: string; reason: string }[];
}

/** Queues a tracking event in the store's outbox; nothing is sent until the outbox is drained. */
export function enqueueTrackingEvent(outbox: Outbox, event: TrackingEvent): number {
  return outbox.enqueue({
    kind: event.type,
    executionId: event.executionId,
    ...('cellHash' in event && { cellHash: event.cellHash }),
    payload: event,
  });
}

/**
 * Delivers queued events in order to every tracker. An unreachable backend stops the drain and leaves the rest
 * queued; a refused event is recorded as failed and stays queued, and the events of the same cell after it wait
 * behind it. Aborting `signal` stops the drain at once (the event being sent stays queued). Idempotent trackers
 * make a repeated drain safe.
 */
export async function drainOutbox(
  outbox: Outbox,
  trackers: readonly Tracker[],
  signal?: AbortSignal,
): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, pending: 0, unreachable: false, stopped: false, refused: [] };
  if (trackers.length === 0) return { ...result, pending: outbox.pendingCount() };
  const blockedCells = new Set<string>();
  for (const queued of outbox.pending(Number.MAX_SAFE_INTEGER)) {
    if (signal?.aborted) {
      result.stopped = true;
      break;
    }
    if (queued.cellHash && blockedCells.has(queued.cellHash)) continue;
    try {
      for (const tracker of trackers) await tracker.deliver(queued.payload as TrackingEvent, signal);
      outbox.markSent(queued.id);
      result.sent++;
    } catch (error) {
      if (signal?.aborted) {
        outbox.markFailed(queued.id, 'not delivered in the time the run waits for its trackers');
        result.stopped = true;
        break;
      }
      const reason = error instanceof LookrightError ? `${error.code}: ${error.message}` : String(error);
      outbox.markFailed(queued.id, reason);
      if (error instanceof LookrightError && error.code === 'TRACKER_UNREACHABLE') {
        result.unreachable = true;
        break;
      }
      result.refused.push({ id: queued.id, type: queued.kind, reason });
      if (queued.cellHash) blockedCells.add(queued.cellHash);
    }
  }
  return { ...result, pending: outbox.pendingCount() };
}
