import type Database from 'better-sqlite3';

/** An event waiting to be sent to MLflow. `payload` is whatever the MLflow client enqueued (plain JSON). */
export interface OutboxEvent {
  id: number;
  createdAt: string;
  /** The client's own event type, e.g. `run.create`, `metrics.log`. */
  kind: string;
  cellHash: string | null;
  executionId: number | null;
  payload: unknown;
  /** Failed sends so far. */
  tries: number;
  lastError: string | null;
}

export interface NewOutboxEvent {
  kind: string;
  cellHash?: string;
  executionId?: number;
  payload: unknown;
}

interface OutboxRow {
  id: number;
  created_at: string;
  kind: string;
  cell_hash: string | null;
  execution_id: number | null;
  payload_json: string;
  tries: number;
  last_error: string | null;
}

/**
 * The MLflow outbox: events are written here first, in the same database as the results, and sent later, so an
 * unreachable server never blocks or loses anything. Events are delivered in `id` order. Sending must be
 * idempotent on the client's side (a crash between a send and markSent sends that event again).
 */
export class Outbox {
  constructor(private readonly db: Database.Database) {}

  /** Queues an event (one transaction); returns its id. */
  enqueue(event: NewOutboxEvent): number {
    const info = this.db
      .prepare(
        'INSERT INTO mlflow_outbox (created_at, kind, cell_hash, execution_id, payload_json) VALUES (?, ?, ?, ?, ?)',
      )
      .run(
        new Date().toISOString(),
        event.kind,
        event.cellHash ?? null,
        event.executionId ?? null,
        JSON.stringify(event.payload),
      );
    return Number(info.lastInsertRowid);
  }

  /** Unsent events, oldest first (at most `limit`). */
  pending(limit = 1000): OutboxEvent[] {
    const rows = this.db
      .prepare('SELECT * FROM mlflow_outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?')
      .all(limit) as OutboxRow[];
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      kind: r.kind,
      cellHash: r.cell_hash,
      executionId: r.execution_id,
      payload: JSON.parse(r.payload_json) as unknown,
      tries: r.tries,
      lastError: r.last_error,
    }));
  }

  /** Marks events delivered (one transaction for all ids). */
  markSent(ids: number | readonly number[]): void {
    const list = typeof ids === 'number' ? [ids] : ids;
    const mark = this.db.prepare('UPDATE mlflow_outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL');
    const now = new Date().toISOString();
    this.db.transaction(() => {
      for (const id of list) mark.run(now, id);
    })();
  }

  /** Records a failed send; the event stays pending. `error` must not contain credentials. */
  markFailed(id: number, error: string): void {
    this.db.prepare('UPDATE mlflow_outbox SET tries = tries + 1, last_error = ? WHERE id = ?').run(error, id);
  }

  /**
   * The cells whose latest queued `cell.start` has no `cell.end` after it (sent or not): their tracked run was
   * opened and, so far, never closed. Each with the payload of that start event.
   */
  startsWithoutEnd(): { cellHash: string; payload: unknown }[] {
    const rows = this.db
      .prepare(
        `SELECT o.cell_hash, o.payload_json FROM mlflow_outbox o
         JOIN (SELECT cell_hash,
                      MAX(CASE WHEN kind = 'cell.start' THEN id END) AS started,
                      MAX(CASE WHEN kind = 'cell.end' THEN id END) AS ended
               FROM mlflow_outbox WHERE kind IN ('cell.start', 'cell.end') GROUP BY cell_hash) last
           ON o.id = last.started
         WHERE last.ended IS NULL OR last.ended < last.started
         ORDER BY o.id`,
      )
      .all() as { cell_hash: string; payload_json: string }[];
    return rows.map((r) => ({ cellHash: r.cell_hash, payload: JSON.parse(r.payload_json) as unknown }));
  }

  /** The executions with an `execution.start` queued and no `execution.end`: id and the start's payload. */
  executionsWithoutEnd(): { executionId: number; payload: unknown }[] {
    const rows = this.db
      .prepare(
        `SELECT s.execution_id, s.payload_json FROM mlflow_outbox s
         WHERE s.kind = 'execution.start' AND NOT EXISTS (
           SELECT 1 FROM mlflow_outbox e WHERE e.kind = 'execution.end' AND e.execution_id = s.execution_id)
         ORDER BY s.id`,
      )
      .all() as { execution_id: number; payload_json: string }[];
    return rows.map((r) => ({ executionId: r.execution_id, payload: JSON.parse(r.payload_json) as unknown }));
  }

  /** Number of unsent events. */
  pendingCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM mlflow_outbox WHERE sent_at IS NULL').get() as { n: number }).n;
  }
}
