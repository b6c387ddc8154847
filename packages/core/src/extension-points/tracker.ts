/** Service id under which tracker plugin descriptors are bound. */
export const Tracker = Symbol.for('lookright.Tracker');

/** One metric point. */
export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
}

/**
 * What a suite execution reports, in order. The harness writes every event to its store's outbox first and then
 * hands it to each tracker, so a tracker that cannot reach its backend loses nothing: the event is delivered
 * again by a later drain (`lookright mlflow sync`).
 */
export type TrackingEvent =
  | { type: 'execution.start'; suiteName: string; executionId: number; startedAt: number; tags: Record<string, string> }
  | {
      type: 'cell.start';
      suiteName: string;
      executionId: number;
      cellHash: string;
      cellName: string;
      startedAt: number;
      params: Record<string, string>;
      tags: Record<string, string>;
    }
  | { type: 'cell.metrics'; suiteName: string; executionId: number; cellHash: string; metrics: MetricPoint[] }
  | { type: 'cell.tags'; suiteName: string; executionId: number; cellHash: string; tags: Record<string, string> }
  | {
      type: 'cell.artifact';
      suiteName: string;
      executionId: number;
      cellHash: string;
      /** Local file to upload. */
      localPath: string;
      /** Path inside the run's artifact root, e.g. `predictions/test.conll`. */
      artifactPath: string;
    }
  | {
      type: 'cell.end';
      suiteName: string;
      executionId: number;
      cellHash: string;
      status: 'FINISHED' | 'FAILED';
      endedAt: number;
    }
  | { type: 'execution.end'; suiteName: string; executionId: number; status: 'FINISHED' | 'FAILED'; endedAt: number };

/** Delivers tracking events to a backend (MLflow, ...). */
export interface Tracker {
  readonly name: string;
  /**
   * Delivers one event. Must be idempotent: the same event may arrive twice after a crash. Throws a
   * LookrightError with code `TRACKER_UNREACHABLE` when the backend cannot be reached (the event stays queued),
   * and another LookrightError when the backend refuses the event.
   */
  deliver(event: TrackingEvent): Promise<void>;
}
