import type Database from 'better-sqlite3';
import type { CellConfig, CellLabels } from '../expand/cell-types.js';
import type { PretrainCellConfig } from '../expand/pretrain-cells.js';
import type { CellStatus } from './cell-ledger.js';
import type { ProcessIdentity } from './process-identity.js';

/** One cell of a suite as the store holds it, with its latest attempt (`C`: its config's type). */
export interface StoredCell<C = CellConfig> {
  hash: string;
  ordinal: number;
  status: CellStatus;
  labels: CellLabels;
  config: C;
  attempt: {
    id: number;
    executionId: number;
    ownerPid: number;
    workerPid: number | null;
    logPath: string | null;
    startedAt: string;
    endedAt: string | null;
    outcome: string | null;
    errorCode: string | null;
    errorMessage: string | null;
  } | null;
  /** Final metrics (only for FINISHED cells). */
  metrics: Record<string, number>;
  artifacts: { name: string; path: string; sha256: string; bytes: number }[];
}

interface CellRow {
  hash: string;
  ordinal: number;
  status: CellStatus;
  labels_json: string;
  config_json: string;
  attempt_id: number | null;
}

interface AttemptRow {
  id: number;
  execution_id: number;
  owner_pid: number;
  worker_pid: number | null;
  log_path: string | null;
  started_at: string;
  ended_at: string | null;
  outcome: string | null;
  error_code: string | null;
  error_message: string | null;
}

/** See StoreQueries.endedAttempt. */
export interface EndedAttempt {
  id: number;
  status: 'FINISHED' | 'FAILED';
  errorCode: string | null;
  errorMessage: string | null;
  /** The harness that ran the attempt. */
  owner: ProcessIdentity;
}

/** Read-only views over the store, for the CLI, reports and trackers. */
export class StoreQueries {
  constructor(private readonly db: Database.Database) {}

  /** Names of the suites in the store. */
  suites(): { id: number; name: string; file: string; updatedAt: string }[] {
    return (
      this.db.prepare('SELECT id, name, file, updated_at FROM suites ORDER BY name').all() as {
        id: number;
        name: string;
        file: string;
        updated_at: string;
      }[]
    ).map((r) => ({ id: r.id, name: r.name, file: r.file, updatedAt: r.updated_at }));
  }

  /**
   * A suite's fine-tuning cells in expansion order, with latest attempt, final metrics and artifacts (its
   * pre-training cells, whose results are no F1 scores, are left out: see pretrainCells).
   */
  suiteCells(suiteName: string): StoredCell[] {
    return this.cellsOfSuite(suiteName, false).map((r) => this.toStoredCell(r));
  }

  /** A suite's pre-training cells, with latest attempt, final metrics (losses) and artifacts (checkpoint files). */
  pretrainCells(suiteName: string): StoredCell<PretrainCellConfig>[] {
    return this.cellsOfSuite(suiteName, true).map((r) => this.toStoredCell<PretrainCellConfig>(r));
  }

  private cellsOfSuite(suiteName: string, pretrain: boolean): CellRow[] {
    return this.db
      .prepare(
        `SELECT c.hash, s.ordinal, c.status, c.labels_json, c.config_json, c.attempt_id
         FROM suites su JOIN suite_cells s ON s.suite_id = su.id JOIN cells c ON c.hash = s.cell_hash
         WHERE su.name = ? AND (json_extract(c.config_json, '$.kind') IS 'pretrain') = ? ORDER BY s.ordinal`,
      )
      .all(suiteName, pretrain ? 1 : 0) as CellRow[];
  }

  /** One cell by hash (with ordinal 0), or undefined. */
  cell(hash: string): StoredCell | undefined {
    const row = this.db
      .prepare('SELECT hash, 0 AS ordinal, status, labels_json, config_json, attempt_id FROM cells WHERE hash = ?')
      .get(hash) as CellRow | undefined;
    return row && this.toStoredCell(row);
  }

  /** Hashes of the cells whose hash starts with `prefix` (hex), sorted. */
  hashesWithPrefix(prefix: string): string[] {
    const rows = this.db
      .prepare('SELECT hash FROM cells WHERE substr(hash, 1, length(?)) = ? ORDER BY hash')
      .all(prefix, prefix) as { hash: string }[];
    return rows.map((r) => r.hash);
  }

  /** Every attempt of a cell, oldest first. */
  attempts(hash: string): { id: number; outcome: string | null; errorCode: string | null }[] {
    return (
      this.db.prepare('SELECT id, outcome, error_code FROM attempts WHERE cell_hash = ? ORDER BY id').all(hash) as {
        id: number;
        outcome: string | null;
        error_code: string | null;
      }[]
    ).map((r) => ({ id: r.id, outcome: r.outcome, errorCode: r.error_code }));
  }

  /**
   * The harness process that ran an execution. Its start time is the execution's own (schema 3 on); an execution
   * begun before that takes it from its attempts, and has '' (unknown) if it claimed no cell.
   */
  executionOwner(id: number): ProcessIdentity | undefined {
    const row = this.db
      .prepare(
        `SELECT e.pid, e.host,
                COALESCE(e.owner_start,
                  (SELECT a.owner_start FROM attempts a WHERE a.execution_id = e.id AND a.owner_pid = e.pid LIMIT 1)) AS start
         FROM executions e WHERE e.id = ?`,
      )
      .get(id) as { pid: number; host: string; start: string | null } | undefined;
    return row && { pid: row.pid, host: row.host, start: row.start ?? '' };
  }

  /**
   * A cell's latest attempt if the cell is FINISHED or FAILED: its id, outcome, error and the harness process that
   * owned it; undefined for a cell that is PENDING, RUNNING or unknown.
   */
  endedAttempt(hash: string): EndedAttempt | undefined {
    const row = this.db
      .prepare(
        `SELECT a.id, c.status, a.error_code, a.error_message, a.owner_pid, a.owner_host, a.owner_start
         FROM cells c JOIN attempts a ON a.id = c.attempt_id WHERE c.hash = ? AND c.status IN ('FINISHED', 'FAILED')`,
      )
      .get(hash) as
      | {
          id: number;
          status: 'FINISHED' | 'FAILED';
          error_code: string | null;
          error_message: string | null;
          owner_pid: number;
          owner_host: string;
          owner_start: string;
        }
      | undefined;
    if (!row) return undefined;
    const owner = { pid: row.owner_pid, host: row.owner_host, start: row.owner_start };
    return { id: row.id, status: row.status, errorCode: row.error_code, errorMessage: row.error_message, owner };
  }

  /** Per-step metrics of one attempt (by default the cell's latest), ordered by name then step. */
  stepMetrics(hash: string, attemptId?: number): { name: string; step: number; value: number }[] {
    const id =
      attemptId ??
      (this.db.prepare('SELECT attempt_id FROM cells WHERE hash = ?').get(hash) as { attempt_id: number | null })
        ?.attempt_id;
    if (id == null) return [];
    return this.db
      .prepare('SELECT name, step, value FROM step_metrics WHERE attempt_id = ? ORDER BY name, step')
      .all(id) as { name: string; step: number; value: number }[];
  }

  /** Flattened params of a cell (`recipe.learningRate` → `0.0002`). */
  params(hash: string): Record<string, string> {
    const rows = this.db.prepare('SELECT key, value FROM params WHERE cell_hash = ? ORDER BY key').all(hash) as {
      key: string;
      value: string;
    }[];
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  /** The harnesses (pid, host) running a suite's RUNNING cells, with how many each runs. */
  runningOwners(suiteId: number): { pid: number; host: string; cells: number }[] {
    return this.db
      .prepare(
        `SELECT a.owner_pid AS pid, a.owner_host AS host, COUNT(*) AS cells
         FROM suite_cells s JOIN cells c ON c.hash = s.cell_hash JOIN attempts a ON a.id = c.attempt_id
         WHERE s.suite_id = ? AND c.status = 'RUNNING' GROUP BY a.owner_pid, a.owner_host ORDER BY a.owner_pid`,
      )
      .all(suiteId) as { pid: number; host: string; cells: number }[];
  }

  private toStoredCell<C = CellConfig>(r: CellRow): StoredCell<C> {
    const attempt =
      r.attempt_id == null
        ? undefined
        : (this.db.prepare('SELECT * FROM attempts WHERE id = ?').get(r.attempt_id) as AttemptRow | undefined);
    const metrics = this.db.prepare('SELECT name, value FROM final_metrics WHERE cell_hash = ?').all(r.hash) as {
      name: string;
      value: number;
    }[];
    const artifacts = this.db
      .prepare('SELECT name, path, sha256, bytes FROM artifacts WHERE cell_hash = ? ORDER BY name')
      .all(r.hash) as StoredCell['artifacts'];
    return {
      hash: r.hash,
      ordinal: r.ordinal,
      status: r.status,
      labels: JSON.parse(r.labels_json) as CellLabels,
      config: JSON.parse(r.config_json) as C,
      attempt: attempt
        ? {
            id: attempt.id,
            executionId: attempt.execution_id,
            ownerPid: attempt.owner_pid,
            workerPid: attempt.worker_pid,
            logPath: attempt.log_path,
            startedAt: attempt.started_at,
            endedAt: attempt.ended_at,
            outcome: attempt.outcome,
            errorCode: attempt.error_code,
            errorMessage: attempt.error_message,
          }
        : null,
      metrics: Object.fromEntries(metrics.map((m) => [m.name, m.value])),
      artifacts,
    };
  }
}
