import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { harnessErrors } from '../errors.js';
import { makeDurable, promotedPath, promoteFolder } from './durable-files.js';
import { isAlive, type ProcessIdentity } from './process-identity.js';

export type CellStatus = 'PENDING' | 'RUNNING' | 'FINISHED' | 'FAILED';

/** A successful claim: this attempt now owns the cell until it finishes or fails. */
export interface Claim {
  cellHash: string;
  attemptId: number;
  /** Why the cell was (re)run: first run, retry of a failure, or an orphan whose owner died. */
  reason: 'new' | 'retry-failed' | 'retry-orphaned';
  /** The cell's attempt before this one (FAILED or ORPHANED now), with the worker that ran it, if any. */
  previous: { attemptId: number; workerPid: number | null } | null;
}

/** Where an attempt wrote its artifacts, and the cell's output folder they move to when its result is accepted. */
export interface Promotion {
  from: string;
  to: string;
}

/** Why a claim was refused. */
export type ClaimRefusal = { refused: 'finished' } | { refused: 'running'; ownerPid: number; ownerHost: string };

/** What a cell run produced. */
export interface CellResult {
  /** Final metrics, e.g. `dev.f1`, `test.f1`; finite numbers only. */
  metrics: Record<string, number>;
  /** Files written by the run; each is fsynced and hashed before the cell is marked FINISHED. */
  artifacts: { name: string; path: string }[];
}

export interface CellError {
  code: string;
  message: string;
}

interface AttemptOwnerRow {
  id: number;
  owner_pid: number;
  owner_host: string;
  owner_start: string;
  worker_pid: number | null;
}

const now = () => new Date().toISOString();

/**
 * Cell state transitions. Every change is one IMMEDIATE transaction, so two harnesses on one store never claim
 * the same cell, and a stale attempt (its cell reclaimed after its owner died) can never record a result.
 */
export class CellLedger {
  constructor(private readonly db: Database.Database) {}

  /**
   * Claims a cell for a new attempt. FINISHED cells are refused; RUNNING ones are refused while their owner
   * lives and reclaimed (the old attempt marked ORPHANED) once it is gone; PENDING and FAILED ones are claimed.
   * `workerPid` is the process that will run the attempt, recorded in the same transaction that marks the cell
   * RUNNING, so a RUNNING attempt always names its worker (null only for a caller that runs the cell itself).
   */
  claim(
    cellHash: string,
    executionId: number,
    owner: ProcessIdentity,
    logPath: string,
    workerPid: number | null = null,
  ): Claim | ClaimRefusal {
    return this.db
      .transaction((): Claim | ClaimRefusal => {
        const cell = this.db.prepare('SELECT status, attempt_id FROM cells WHERE hash = ?').get(cellHash) as
          | { status: CellStatus; attempt_id: number | null }
          | undefined;
        if (!cell) throw new Error(`claim: unknown cell ${cellHash}`);
        if (cell.status === 'FINISHED') return { refused: 'finished' };
        let reason: Claim['reason'] = cell.status === 'FAILED' ? 'retry-failed' : 'new';
        const previous =
          cell.attempt_id === null
            ? undefined
            : (this.db
                .prepare('SELECT id, owner_pid, owner_host, owner_start, worker_pid FROM attempts WHERE id = ?')
                .get(cell.attempt_id) as AttemptOwnerRow | undefined);
        if (cell.status === 'RUNNING' && previous) {
          const previousOwner = { pid: previous.owner_pid, host: previous.owner_host, start: previous.owner_start };
          if (isAlive(previousOwner))
            return { refused: 'running', ownerPid: previous.owner_pid, ownerHost: previous.owner_host };
          this.db
            .prepare(
              "UPDATE attempts SET outcome = 'ORPHANED', ended_at = ?, error_code = 'CELL_ORPHANED', error_message = ? WHERE id = ?",
            )
            .run(now(), `owner process ${previous.owner_pid} on ${previous.owner_host} is gone`, previous.id);
          reason = 'retry-orphaned';
        }
        const attempt = this.db
          .prepare(
            'INSERT INTO attempts (cell_hash, execution_id, owner_pid, owner_host, owner_start, worker_pid, log_path, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(cellHash, executionId, owner.pid, owner.host, owner.start, workerPid, logPath, now());
        const attemptId = Number(attempt.lastInsertRowid);
        this.db
          .prepare("UPDATE cells SET status = 'RUNNING', attempt_id = ?, updated_at = ? WHERE hash = ?")
          .run(attemptId, now(), cellHash);
        const before = previous ? { attemptId: previous.id, workerPid: previous.worker_pid } : null;
        return { cellHash, attemptId, reason, previous: before };
      })
      .immediate();
  }

  /**
   * The worker PID of a cell's latest attempt when no live harness owns that attempt any more (it ended, or its
   * owner is gone) and the cell is not FINISHED: a process that should not be running, e.g. a worker orphaned by
   * kill -9 of its harness that has not noticed yet. Null when there is none to look for.
   */
  unownedWorker(cellHash: string): number | null {
    const row = this.db
      .prepare(
        `SELECT c.status, a.outcome, a.owner_pid, a.owner_host, a.owner_start, a.worker_pid
         FROM cells c JOIN attempts a ON a.id = c.attempt_id WHERE c.hash = ?`,
      )
      .get(cellHash) as
      | ({ status: CellStatus; outcome: string | null; worker_pid: number | null } & Omit<AttemptOwnerRow, 'id'>)
      | undefined;
    if (!row || row.worker_pid === null || row.status === 'FINISHED') return null;
    const owner = { pid: row.owner_pid, host: row.owner_host, start: row.owner_start };
    return row.status === 'RUNNING' && isAlive(owner) ? null : row.worker_pid;
  }

  /** Appends per-step metrics of an attempt in one transaction (a repeated (name, step) keeps the latest). */
  recordSteps(attemptId: number, rows: readonly { step: number; name: string; value: number }[]): void {
    const insert = this.db.prepare(
      'INSERT OR REPLACE INTO step_metrics (attempt_id, name, step, value) VALUES (?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const r of rows) insert.run(attemptId, r.name, r.step, r.value);
    })();
  }

  /**
   * Marks a cell FINISHED with its final metrics and artifacts. Artifacts are fsynced and hashed first; then one
   * transaction checks that this attempt still owns the running cell and records everything. A stale attempt
   * throws CELL_ATTEMPT_STALE and records nothing. With `promote`, the attempt's own folder becomes the cell's
   * output folder (one rename, made durable, inside that transaction, after the ownership check) and the
   * artifacts are recorded at their promoted paths: a stale attempt never touches the output folder, and a crash
   * before the commit leaves the cell unfinished, so the next attempt replaces whatever the folder holds.
   */
  finish(cellHash: string, attemptId: number, result: CellResult, promote?: Promotion): void {
    for (const [name, value] of Object.entries(result.metrics)) {
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw harnessErrors.metricNotFinite(cellHash, name, value);
    }
    const durable = result.artifacts.map((a) => {
      if (!existsSync(a.path)) throw harnessErrors.artifactMissing(cellHash, a.path);
      return { name: a.name, ...makeDurable(a.path) };
    });
    this.db
      .transaction(() => {
        this.assertOwner(cellHash, attemptId);
        this.db.prepare('DELETE FROM final_metrics WHERE cell_hash = ?').run(cellHash);
        this.db.prepare('DELETE FROM artifacts WHERE cell_hash = ?').run(cellHash);
        const metric = this.db.prepare('INSERT INTO final_metrics (cell_hash, name, value) VALUES (?, ?, ?)');
        for (const [name, value] of Object.entries(result.metrics)) metric.run(cellHash, name, value);
        const artifact = this.db.prepare(
          'INSERT INTO artifacts (cell_hash, name, path, sha256, bytes) VALUES (?, ?, ?, ?, ?)',
        );
        if (promote) promoteFolder(promote, attemptId);
        for (const a of durable)
          artifact.run(cellHash, a.name, promote ? promotedPath(a.path, promote) : a.path, a.sha256, a.bytes);
        this.db.prepare("UPDATE attempts SET outcome = 'FINISHED', ended_at = ? WHERE id = ?").run(now(), attemptId);
        this.db.prepare("UPDATE cells SET status = 'FINISHED', updated_at = ? WHERE hash = ?").run(now(), cellHash);
      })
      .immediate();
  }

  /** Marks a running cell FAILED with an error, if this attempt still owns it; returns whether it did. */
  fail(cellHash: string, attemptId: number, error: CellError): boolean {
    return this.db
      .transaction(() => {
        if (!this.owns(cellHash, attemptId)) return false;
        this.db
          .prepare(
            "UPDATE attempts SET outcome = 'FAILED', ended_at = ?, error_code = ?, error_message = ? WHERE id = ?",
          )
          .run(now(), error.code, error.message, attemptId);
        this.db.prepare("UPDATE cells SET status = 'FAILED', updated_at = ? WHERE hash = ?").run(now(), cellHash);
        return true;
      })
      .immediate();
  }

  status(cellHash: string): CellStatus | undefined {
    const row = this.db.prepare('SELECT status FROM cells WHERE hash = ?').get(cellHash) as
      | { status: CellStatus }
      | undefined;
    return row?.status;
  }

  private owns(cellHash: string, attemptId: number): boolean {
    const row = this.db.prepare('SELECT status, attempt_id FROM cells WHERE hash = ?').get(cellHash) as
      | { status: CellStatus; attempt_id: number }
      | undefined;
    return row?.status === 'RUNNING' && row.attempt_id === attemptId;
  }

  private assertOwner(cellHash: string, attemptId: number): void {
    if (!this.owns(cellHash, attemptId)) throw harnessErrors.staleAttempt(cellHash, attemptId);
  }
}
