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
  {
    version: 5,
    description: 'durable runs: stored plans, queued block jobs and attempts, workers and their keys',
    sql: `
-- The plan of every run (plain JSON, scheduler/run-plan.ts) and the hash of the document it came from, so a run
-- can be resumed (maml run --resume) or taken over by another gateway when its owner's lease runs out.
CREATE TABLE maml.run_plans (
  run_id text PRIMARY KEY REFERENCES maml.runs (id) ON DELETE CASCADE,
  plan jsonb NOT NULL,
  document_hash text,
  durable boolean NOT NULL DEFAULT false,
  owner text,
  lease_until timestamptz
);
CREATE INDEX run_plans_lease ON maml.run_plans (lease_until) WHERE durable;
-- Processes that take blocks from the queue (maml worker, or a gateway with local heads), with their heartbeat.
CREATE TABLE maml.workers (
  name text PRIMARY KEY,
  host text NOT NULL,
  pid integer NOT NULL,
  heads jsonb NOT NULL DEFAULT '[]',
  concurrency integer NOT NULL,
  load integer NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  stopped_at timestamptz
);
-- The public keys a worker's heads sign tickets with. A gateway accepts a ticket only under a key endorsed by
-- the operator's admission key (queue/worker-store.ts: the endorsement is a signature, not a flag).
CREATE TABLE maml.worker_keys (
  key_id text PRIMARY KEY,
  worker text NOT NULL,
  head text NOT NULL,
  alg text NOT NULL,
  public_key text NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now(),
  endorsement text,
  trusted_at timestamptz,
  trusted_by text
);
-- One queue job per block of a run (pg-boss, schema pgboss), enqueued in the same transaction as this row.
CREATE TABLE maml.block_jobs (
  run_id text NOT NULL REFERENCES maml.runs (id) ON DELETE CASCADE,
  block_id text NOT NULL,
  job_id uuid NOT NULL UNIQUE,
  queue text NOT NULL,
  cancel_requested boolean NOT NULL DEFAULT false,
  enqueued_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, block_id)
);
-- Every delivery of a block job to a worker, under its idempotency key (run, block, attempt).
CREATE TABLE maml.block_attempts (
  run_id text NOT NULL REFERENCES maml.runs (id) ON DELETE CASCADE,
  block_id text NOT NULL,
  attempt integer NOT NULL CHECK (attempt >= 1),
  job_id uuid NOT NULL,
  worker text NOT NULL,
  head text,
  state text NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'lost')),
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  result jsonb,
  ticket text,
  error jsonb,
  PRIMARY KEY (run_id, block_id, attempt)
);
CREATE INDEX block_attempts_running ON maml.block_attempts (worker) WHERE state = 'running';
-- One ticket per block of a run, whatever process records it and however often a result is delivered.
CREATE UNIQUE INDEX tickets_one_per_block ON maml.tickets (run_id, block_id);`,
  },
  {
    version: 6,
    description: 'one ticket per execution of a block',
    // A federated run executes its client block once per round and tickets each round: the key is (run, block,
    // execution), where `execution` names which one ('' for a block that runs once: every other ticket).
    sql: `
ALTER TABLE maml.tickets ADD COLUMN execution text NOT NULL DEFAULT '';
DROP INDEX maml.tickets_one_per_block;
CREATE UNIQUE INDEX tickets_one_per_execution ON maml.tickets (run_id, block_id, execution);`,
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
