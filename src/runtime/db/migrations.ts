/**
 * The run database schema, as numbered migrations applied in order and recorded in maml.schema_migrations. The
 * same SQL runs on PGlite and PostgreSQL. Add a migration by appending an entry; never edit an applied one.
 */

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, block executions, events, cache',
    sql: `
CREATE TABLE maml.runs (
  id text PRIMARY KEY,
  document_path text,
  document_id text,
  identity text NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  inputs jsonb NOT NULL DEFAULT '{}',
  outputs jsonb,
  error jsonb
);
CREATE INDEX runs_started_at ON maml.runs (started_at DESC);
-- One row per block and run: a retried attempt updates nothing, so a block is recorded once.
CREATE TABLE maml.block_executions (
  run_id text NOT NULL REFERENCES maml.runs (id) ON DELETE CASCADE,
  block_id text NOT NULL,
  attempt_id text NOT NULL UNIQUE,
  lang text NOT NULL,
  head text,
  attempts integer NOT NULL DEFAULT 0,
  status text NOT NULL CHECK (status IN ('succeeded', 'failed', 'skipped')),
  cached boolean NOT NULL DEFAULT false,
  started_at timestamptz,
  finished_at timestamptz,
  duration_ms double precision,
  outputs jsonb,
  error jsonb,
  PRIMARY KEY (run_id, block_id)
);
CREATE TABLE maml.events (
  run_id text NOT NULL REFERENCES maml.runs (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  type text NOT NULL,
  block_id text,
  data jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE maml.cache (
  key text PRIMARY KEY,
  outputs jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);`,
  },
  {
    version: 2,
    description: 'audit log, execution tickets, ticket signing keys',
    sql: `
-- RFC 9162 leaves: the entry (base64) and its leaf hash (hex), at dense indices from 0.
CREATE TABLE maml.audit_log (
  idx bigint PRIMARY KEY,
  entry text NOT NULL,
  leaf_hash text NOT NULL,
  appended_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE maml.tickets (
  log_index bigint PRIMARY KEY REFERENCES maml.audit_log (idx),
  run_id text NOT NULL,
  block_id text NOT NULL,
  key_id text NOT NULL,
  compact text NOT NULL
);
CREATE INDEX tickets_run ON maml.tickets (run_id);
CREATE TABLE maml.ticket_keys (
  key_id text PRIMARY KEY,
  alg text NOT NULL,
  public_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);`,
  },
  {
    version: 3,
    description: 'cancelled runs and blocks',
    sql: `
-- A cancelled run was recorded as failed with error code cancelled; it gets its own status, as do the blocks
-- that were stopped while they ran.
ALTER TABLE maml.runs DROP CONSTRAINT runs_status_check;
ALTER TABLE maml.runs ADD CONSTRAINT runs_status_check
  CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled'));
ALTER TABLE maml.block_executions DROP CONSTRAINT block_executions_status_check;
ALTER TABLE maml.block_executions ADD CONSTRAINT block_executions_status_check
  CHECK (status IN ('succeeded', 'failed', 'skipped', 'cancelled'));
UPDATE maml.runs SET status = 'cancelled' WHERE status = 'failed' AND error->>'code' = 'cancelled';
UPDATE maml.block_executions SET status = 'cancelled' WHERE status = 'failed' AND error->>'code' = 'cancelled';`,
  },
  {
    version: 4,
    description: 'run records by audit-log index',
    sql: `
-- GET /v1/tickets/:idx and maml verify find a run record by its log index (TicketStore.runRecordByLogIndex):
-- without this index that is a scan of every event of every run.
CREATE INDEX IF NOT EXISTS events_record_log_index ON maml.events ((data->>'logIndex'))
  WHERE type = 'record_issued';`,
  },
];

/** Arbitrary constant for pg_advisory_xact_lock: two processes never migrate at the same time. */
const MIGRATION_LOCK = 72_616_415;

export interface MigrationClient {
  query(sql: string, params: readonly unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  exec(sql: string): Promise<unknown>;
}

/** Applies `migrations` (default: the runtime's; the server appends its own, numbered from 1001). */
export async function migrate(
  transaction: <T>(fn: (tx: MigrationClient) => Promise<T>) => Promise<T>,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.exec(
      'CREATE SCHEMA IF NOT EXISTS maml; CREATE TABLE IF NOT EXISTS maml.schema_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());',
    );
    const done = new Set(
      (await tx.query('SELECT version FROM maml.schema_migrations', [])).rows.map((r) => Number(r['version'])),
    );
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO maml.schema_migrations (version, description) VALUES ($1, $2)', [
        migration.version,
        migration.description,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
