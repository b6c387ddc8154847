import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LookrightError, redactUrlCredentialsIn } from '@lookright/core';
import Database from 'better-sqlite3';
import { harnessErrors } from '../errors.js';
import type { SuiteCell } from '../expand/pretrain-cells.js';
import { CellLedger, type CellStatus } from './cell-ledger.js';
import { flattenParams } from './flatten-params.js';
import { migrate } from './migrations.js';
import { Outbox } from './outbox.js';
import type { ProcessIdentity } from './process-identity.js';
import { assertIntact, isCorruption } from './store-integrity.js';
import { nearestStoreDir, storeFileName } from './store-location.js';
import { StoreQueries } from './store-queries.js';

export { storeFileName } from './store-location.js';

/** Default store folder, relative to the working directory. */
export const defaultStoreDir = 'lookright-runs';

const now = () => new Date().toISOString();

/**
 * The run store: one SQLite database (WAL, synchronous=FULL, foreign keys on) under `<dir>/lookright.sqlite`,
 * shared by the harness and its worker processes. Everything a run produces goes here; `ledger` moves cells
 * between states, `outbox` queues MLflow events, `queries` reads results back.
 */
export class RunStore {
  readonly ledger: CellLedger;
  readonly outbox: Outbox;
  readonly queries: StoreQueries;
  /**
   * The store's random id, created with it (schema step 2). Trackers key runs by it, so the executions of two
   * stores (two machines, or a store deleted and made again) never merge, and a re-sync of one store finds its runs.
   */
  readonly id: string;

  private constructor(
    readonly dir: string,
    readonly file: string,
    readonly db: Database.Database,
  ) {
    this.ledger = new CellLedger(db);
    this.outbox = new Outbox(db);
    this.queries = new StoreQueries(db);
    this.id = (db.prepare('SELECT id FROM store_identity').get() as { id: string }).id;
  }

  /**
   * Opens the store in `dir`, creating it if needed (only `lookright run` should), checks its integrity and brings
   * its schema up to date. A damaged file is refused with STORE_CORRUPT. `checkIntegrity: false` skips the check
   * (it reads the whole file) for a process whose parent has just checked the same store: a cell worker.
   */
  static open(dir: string = defaultStoreDir, options: { checkIntegrity?: boolean } = {}): RunStore {
    return RunStore.connect(dir, true, options.checkIntegrity ?? true);
  }

  /**
   * Opens a store that must exist already (report, mlflow sync and other readers): a folder without one is refused
   * with STORE_NOT_FOUND, naming the nearest store folder, and nothing is created.
   */
  static openExisting(dir: string = defaultStoreDir): RunStore {
    return RunStore.connect(dir, false, true);
  }

  private static connect(dir: string, create: boolean, checkIntegrity: boolean): RunStore {
    const absolute = resolve(dir);
    const file = join(absolute, storeFileName);
    if (!create && !existsSync(file)) throw harnessErrors.storeNotFound(absolute, nearestStoreDir(dir));
    let db: Database.Database | undefined;
    try {
      if (create) mkdirSync(absolute, { recursive: true });
      db = new Database(file, { fileMustExist: !create });
      db.pragma('busy_timeout = 10000');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      if (checkIntegrity) assertIntact(db, file);
      migrate(db, file);
      return new RunStore(absolute, file, db);
    } catch (cause) {
      db?.close();
      if (cause instanceof LookrightError) throw cause;
      const reason = (cause as Error).message;
      throw isCorruption(cause)
        ? harnessErrors.storeCorrupt(file, reason)
        : harnessErrors.storeUnopenable(file, reason);
    }
  }

  close(): void {
    this.db.close();
  }

  /** Folder for a cell's artifacts and logs. */
  cellDir(cellHash: string): string {
    return join(this.dir, 'cells', cellHash.slice(0, 2), cellHash);
  }

  /**
   * Records a suite and its cells in one transaction. New cells start PENDING; existing cells keep their status
   * (that is what makes a second run skip finished work), and their stored config is refreshed unless running.
   * Credentials inside URLs (a tracker's `uri: http://user:password@...`) are redacted in the stored copies; the
   * run itself uses the suite and cells as given. Returns the suite's id.
   */
  registerSuite(suite: { name: string; file: string; json: unknown }, cells: readonly SuiteCell[]): number {
    return this.db
      .transaction(() => {
        this.db
          .prepare(
            `INSERT INTO suites (name, file, suite_json, updated_at) VALUES (?, ?, ?, ?)
             ON CONFLICT(name) DO UPDATE SET file = excluded.file, suite_json = excluded.suite_json, updated_at = excluded.updated_at`,
          )
          .run(suite.name, suite.file, JSON.stringify(redactUrlCredentialsIn(suite.json)), now());
        const { id } = this.db.prepare('SELECT id FROM suites WHERE name = ?').get(suite.name) as { id: number };
        this.db.prepare('DELETE FROM suite_cells WHERE suite_id = ?').run(id);
        const insertCell = this.db.prepare(
          `INSERT INTO cells (hash, config_json, labels_json, status, updated_at) VALUES (?, ?, ?, 'PENDING', ?)
           ON CONFLICT(hash) DO UPDATE SET config_json = excluded.config_json, labels_json = excluded.labels_json
           WHERE cells.status <> 'RUNNING'`,
        );
        const link = this.db.prepare('INSERT INTO suite_cells (suite_id, cell_hash, ordinal) VALUES (?, ?, ?)');
        const param = this.db.prepare('INSERT OR REPLACE INTO params (cell_hash, key, value) VALUES (?, ?, ?)');
        for (const cell of cells) {
          const config = redactUrlCredentialsIn(cell.config);
          insertCell.run(cell.hash, JSON.stringify(config), JSON.stringify(cell.labels), now());
          link.run(id, cell.hash, cell.index);
          for (const [key, value] of Object.entries(flattenParams(config))) param.run(cell.hash, key, value);
        }
        return id;
      })
      .immediate();
  }

  /** Starts an execution (one `run` invocation) of a suite. */
  beginExecution(suiteId: number, owner: ProcessIdentity): number {
    const info = this.db
      .prepare('INSERT INTO executions (suite_id, pid, host, owner_start, started_at) VALUES (?, ?, ?, ?, ?)')
      .run(suiteId, owner.pid, owner.host, owner.start, now());
    return Number(info.lastInsertRowid);
  }

  endExecution(executionId: number, outcome: 'FINISHED' | 'FAILED' | 'INTERRUPTED'): void {
    this.db.prepare('UPDATE executions SET ended_at = ?, outcome = ? WHERE id = ?').run(now(), outcome, executionId);
  }

  /** Status of each of a suite's cells. */
  statusCounts(suiteId: number): Record<CellStatus, number> {
    const counts: Record<CellStatus, number> = { PENDING: 0, RUNNING: 0, FINISHED: 0, FAILED: 0 };
    const rows = this.db
      .prepare(
        'SELECT c.status AS status, COUNT(*) AS n FROM suite_cells s JOIN cells c ON c.hash = s.cell_hash WHERE s.suite_id = ? GROUP BY c.status',
      )
      .all(suiteId) as { status: CellStatus; n: number }[];
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }
}
