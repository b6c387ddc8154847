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
 * Which execution an event belongs to. An execution id counts the `run` invocations of one store, so it is only
 * unique together with the store's random id: trackers key their runs by both.
 */
export interface TrackedExecution {
  suiteName: string;
  /** The run store's random id (created with the store). */
  storeId: string;
  /** The execution's number within its store. */
  executionId: number;
}

/** Which cell of an execution an event belongs to. */
export interface TrackedCell extends TrackedExecution {
  cellHash: string;
}

/**
 * What a suite execution reports, in order. The harness writes every event to its store's outbox first and then
 * hands it to each tracker, so a tracker that cannot reach its backend loses nothing: the event is delivered
 * again by a later drain (`lookright mlflow sync`).
 */
export type TrackingEvent =
  | ({ type: 'execution.start'; startedAt: number; tags: Record<string, string> } & TrackedExecution)
  | ({
      type: 'cell.start';
      cellName: string;
      startedAt: number;
      params: Record<string, string>;
      tags: Record<string, string>;
    } & TrackedCell)
  | ({ type: 'cell.metrics'; metrics: MetricPoint[] } & TrackedCell)
  | ({ type: 'cell.tags'; tags: Record<string, string> } & TrackedCell)
  | ({
      type: 'cell.artifact';
      /** Local file to upload. */
      localPath: string;
      /** Path inside the run's artifact root, e.g. `predictions/test.conll`. */
      artifactPath: string;
    } & TrackedCell)
  | ({ type: 'cell.end'; status: 'FINISHED' | 'FAILED'; endedAt: number } & TrackedCell)
  /** KILLED: the harness was gone before it could end the execution (a later run or sync closes it). */
  | ({ type: 'execution.end'; status: 'FINISHED' | 'FAILED' | 'KILLED'; endedAt: number } & TrackedExecution);

/** A cell as its one tracked run is known in every execution: suite, store and cell hash. */
export interface TrackedCellRun {
  suiteName: string;
  storeId: string;
  cellHash: string;
}

/**
 * Carries a cell's files between machines that share no filesystem through a tracker's backend (MLflow
 * artifacts): a queue worker puts them into the cell's run, the harness gets them back. Credentials stay in the
 * tracker; errors name no secret.
 */
export interface CellFileStore {
  /**
   * Uploads files (`path`: where, among the cell's files in its run) into the cell's run. Resolves false, uploading
   * nothing, when the backend has no run for the cell yet (the harness opens it when the cell starts).
   */
  put(
    cell: TrackedCellRun,
    files: readonly { path: string; localPath: string }[],
    signal?: AbortSignal,
  ): Promise<boolean>;
  /** The bytes of one file put for the cell. */
  get(cell: TrackedCellRun, path: string, signal?: AbortSignal): Promise<Buffer>;
}

/** Delivers tracking events to a backend (MLflow, ...). */
export interface Tracker {
  readonly name: string;
  /** Present when the backend can carry a cell's files between machines (see CellFileStore). */
  readonly cellFiles?: CellFileStore;
  /**
   * Delivers one event. Must be idempotent: the same event may arrive twice after a crash. Throws a
   * LookrightError with code `TRACKER_UNREACHABLE` when the backend cannot be reached (the event stays queued),
   * and another LookrightError when the backend refuses the event. Once `signal` is aborted (the run's budget for
   * waiting on its trackers is spent) it must give up promptly, as if the backend were unreachable.
   */
  deliver(event: TrackingEvent, signal?: AbortSignal): Promise<void>;
}
