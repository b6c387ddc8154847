import type Database from 'better-sqlite3';
import { harnessErrors } from '../errors.js';

/** One schema step. Versions are consecutive from 1; a step is applied once, in its own transaction. */
interface Migration {
  version: number;
  summary: string;
  sql: string;
}

/** The store's schema history. Never edit a released step: append a new one. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    summary: 'suites, executions, cells, attempts, params, metrics, artifacts, MLflow outbox',
    sql: `
CREATE TABLE suites (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  file TEXT NOT NULL,
  suite_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE executions (
  id INTEGER PRIMARY KEY,
  suite_id INTEGER NOT NULL REFERENCES suites(id),
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  outcome TEXT CHECK (outcome IN ('FINISHED', 'FAILED', 'INTERRUPTED'))
);
CREATE TABLE cells (
  hash TEXT PRIMARY KEY,
  config_json TEXT NOT NULL,
  labels_json TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'FINISHED', 'FAILED')),
  attempt_id INTEGER,
  updated_at TEXT NOT NULL
);
CREATE TABLE suite_cells (
  suite_id INTEGER NOT NULL REFERENCES suites(id),
  cell_hash TEXT NOT NULL REFERENCES cells(hash),
  ordinal INTEGER NOT NULL,
  PRIMARY KEY (suite_id, cell_hash)
);
CREATE TABLE attempts (
  id INTEGER PRIMARY KEY,
  cell_hash TEXT NOT NULL REFERENCES cells(hash),
  execution_id INTEGER NOT NULL REFERENCES executions(id),
  owner_pid INTEGER NOT NULL,
  owner_host TEXT NOT NULL,
  owner_start TEXT NOT NULL,
  worker_pid INTEGER,
  log_path TEXT,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  outcome TEXT CHECK (outcome IN ('FINISHED', 'FAILED', 'ORPHANED')),
  error_code TEXT,
  error_message TEXT
);
CREATE INDEX attempts_by_cell ON attempts(cell_hash);
CREATE TABLE params (
  cell_hash TEXT NOT NULL REFERENCES cells(hash),
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (cell_hash, key)
);
CREATE TABLE step_metrics (
  attempt_id INTEGER NOT NULL REFERENCES attempts(id),
  name TEXT NOT NULL,
  step INTEGER NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (attempt_id, name, step)
);
CREATE TABLE final_metrics (
  cell_hash TEXT NOT NULL REFERENCES cells(hash),
  name TEXT NOT NULL,
  value REAL NOT NULL,
  PRIMARY KEY (cell_hash, name)
);
CREATE TABLE artifacts (
  cell_hash TEXT NOT NULL REFERENCES cells(hash),
  name TEXT NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  PRIMARY KEY (cell_hash, name)
);
CREATE TABLE mlflow_outbox (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  kind TEXT NOT NULL,
  cell_hash TEXT,
  execution_id INTEGER,
  payload_json TEXT NOT NULL,
  tries INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  sent_at TEXT
);
CREATE INDEX outbox_pending ON mlflow_outbox(sent_at, id);
`,
  },
  {
    version: 2,
    summary: "the store's random id (so trackers never merge runs of two stores), also set on events already queued",
    sql: `
CREATE TABLE store_identity (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  id TEXT NOT NULL,
  created_at TEXT NOT NULL
);
INSERT INTO store_identity (singleton, id, created_at)
  VALUES (1, lower(hex(randomblob(16))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
UPDATE mlflow_outbox SET payload_json = json_set(payload_json, '$.storeId', (SELECT id FROM store_identity))
  WHERE CASE WHEN json_valid(payload_json) THEN json_type(payload_json) = 'object' ELSE 0 END;
`,
  },
  {
    version: 3,
    summary:
      "each execution's harness start time, so one that claimed no cell is told apart from a later process given its pid",
    sql: `
ALTER TABLE executions ADD COLUMN owner_start TEXT;
`,
  },
];

/** The newest schema version this code knows. */
export const schemaVersion = migrations[migrations.length - 1].version;

const userVersion = (db: Database.Database) => db.pragma('user_version', { simple: true }) as number;

/**
 * Brings a database to `schemaVersion` (tracked in PRAGMA user_version). A store written by a newer lookright is
 * refused rather than misread. Each step re-reads the version inside its transaction, so two processes opening
 * the same old store at once apply every step once.
 */
export function migrate(db: Database.Database, file: string): void {
  const current = userVersion(db);
  if (current > schemaVersion) throw harnessErrors.storeSchemaTooNew(file, current, schemaVersion);
  for (const step of migrations) {
    if (step.version <= current) continue;
    db.transaction(() => {
      if (userVersion(db) >= step.version) return;
      db.exec(step.sql);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
  }
}
