/**
 * Records runs, block executions and run events (run-events.ts) in the run database, and serves `maml runs list/show` and the
 * opt-in result cache. Writes are idempotent where a retry could repeat them (a block is recorded once per run).
 */
import type { Database } from './database.js';
import { migrate } from './migrations.js';
import type { Migration } from './migrations.js';
import type { RunEvent } from '../run-events.js';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
/** `cancelled`: stopped while it ran; `skipped`: never started. */
export type BlockStatus = 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface RunRow {
  readonly id: string;
  readonly documentPath: string | null;
  readonly documentId: string | null;
  readonly identity: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly inputs: unknown;
  readonly outputs: unknown;
  readonly error: unknown;
}

export interface BlockRow {
  readonly runId: string;
  readonly blockId: string;
  readonly attemptId: string;
  readonly lang: string;
  readonly head: string | null;
  readonly attempts: number;
  readonly status: BlockStatus;
  readonly cached: boolean;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly outputs: unknown;
  readonly error: unknown;
}

/** A gateway that owns durable runs under a lease, renewed while it runs them. */
export interface DurableOwner {
  readonly name: string;
  readonly leaseMs: number;
}

export interface EventRow {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly blockId: string | null;
  readonly data: unknown;
}

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
const iso = (value: unknown): string | null =>
  value === null || value === undefined ? null : value instanceof Date ? value.toISOString() : String(value);

function runRow(r: Record<string, unknown>): RunRow {
  return {
    id: String(r['id']),
    documentPath: (r['document_path'] as string | null) ?? null,
    documentId: (r['document_id'] as string | null) ?? null,
    identity: String(r['identity']),
    status: r['status'] as RunStatus,
    startedAt: iso(r['started_at']) ?? '',
    finishedAt: iso(r['finished_at']),
    inputs: r['inputs'],
    outputs: r['outputs'] ?? null,
    error: r['error'] ?? null,
  };
}

export class RunStore {
  constructor(readonly db: Database) {}

  migrate(migrations?: readonly Migration[]): Promise<number[]> {
    return migrate((fn) => this.db.transaction(fn), migrations);
  }

  async createRun(run: {
    id: string;
    documentPath?: string;
    documentId?: string;
    identity: string;
    inputs: unknown;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO maml.runs (id, document_path, document_id, identity, status, started_at, inputs)
       VALUES ($1, $2, $3, $4, 'running', now(), $5::jsonb)`,
      [run.id, run.documentPath ?? null, run.documentId ?? null, run.identity, json(run.inputs)],
    );
  }

  async finishRun(id: string, status: Exclude<RunStatus, 'running'>, outputs: unknown, error: unknown): Promise<void> {
    await this.db.query(
      `UPDATE maml.runs SET status = $2, finished_at = now(), outputs = $3::jsonb, error = $4::jsonb WHERE id = $1`,
      [id, status, json(outputs), json(error ?? null)],
    );
  }

  /**
   * Fails the runs still marked `running`. Only for the embedded database, opened under its lock: no other process
   * can be running anything there, so such a run's process died (kill -9, a crash, a power cut) before finishing.
   * Returns their ids.
   */
  async failInterrupted(): Promise<string[]> {
    const error = {
      code: 'cancelled',
      message: 'interrupted: the process running it stopped (killed or crashed) before the run finished',
      retryable: false,
    };
    const rows = await this.db.query(
      `UPDATE maml.runs SET status = 'failed', finished_at = now(), error = $1::jsonb WHERE status = 'running' RETURNING id`,
      [json(error)],
    );
    const ids = rows.rows.map((r) => String(r['id']));
    // Numbered after the dead process's events: this process never counted them.
    for (const id of ids)
      await this.db.query(
        `INSERT INTO maml.events (run_id, seq, type, data)
         SELECT $1, coalesce(max(seq), 0) + 1, 'run_finished', $2::jsonb FROM maml.events WHERE run_id = $1`,
        [id, json({ status: 'failed', error })],
      );
    return ids;
  }

  /**
   * Stores the run's plan and the hash of its document (what `maml run --resume` and a gateway taking over a
   * durable run start from). `durable`: the run belongs to a gateway with a lease, which another may take over.
   */
  async savePlan(runId: string, plan: unknown, documentHash: string | null, owner: DurableOwner | null): Promise<void> {
    await this.db.query(
      `INSERT INTO maml.run_plans (run_id, plan, document_hash, durable, owner, lease_until)
       VALUES ($1, $2::jsonb, $3, $4, $5, CASE WHEN $4 THEN now() + make_interval(secs => $6) END)
       ON CONFLICT (run_id) DO UPDATE SET owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until, durable = EXCLUDED.durable`,
      [runId, json(plan), documentHash, owner !== null, owner?.name ?? null, (owner?.leaseMs ?? 0) / 1000],
    );
  }

  async loadPlan(runId: string): Promise<{ plan: unknown; documentHash: string | null; durable: boolean } | undefined> {
    const row = (
      await this.db.query('SELECT plan, document_hash, durable FROM maml.run_plans WHERE run_id = $1', [runId])
    ).rows[0];
    return (
      row && {
        plan: row['plan'],
        documentHash: (row['document_hash'] as string | null) ?? null,
        durable: row['durable'] === true,
      }
    );
  }

  /** Renews the leases of `owner`'s durable runs that are still running. */
  async renewLeases(owner: DurableOwner, runIds: readonly string[]): Promise<void> {
    if (runIds.length === 0) return;
    await this.db.query(
      `UPDATE maml.run_plans SET lease_until = now() + make_interval(secs => $2)
       WHERE owner = $1 AND run_id = ANY($3::text[])`,
      [owner.name, owner.leaseMs / 1000, [...runIds]],
    );
  }

  /** Takes over durable runs still running whose owner's lease ran out; returns their ids. */
  async takeOverExpired(owner: DurableOwner, limit = 100): Promise<string[]> {
    const rows = await this.db.query(
      `UPDATE maml.run_plans p SET owner = $1, lease_until = now() + make_interval(secs => $2)
       WHERE p.run_id IN (
         SELECT p2.run_id FROM maml.run_plans p2 JOIN maml.runs r ON r.id = p2.run_id
         WHERE p2.durable AND r.status = 'running' AND p2.lease_until < now()
         ORDER BY p2.lease_until LIMIT $3 FOR UPDATE OF p2 SKIP LOCKED)
       RETURNING p.run_id`,
      [owner.name, owner.leaseMs / 1000, limit],
    );
    return rows.rows.map((r) => String(r['run_id']));
  }

  /**
   * Opens a finished run again for `maml run --resume`: blocks that did not succeed lose their rows (and their
   * queue jobs and deliveries), so they run again; the run is `running` again. Returns false when the run is not
   * there.
   */
  async reopenRun(runId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const updated = await tx.query(
        `UPDATE maml.runs SET status = 'running', finished_at = NULL, outputs = NULL, error = NULL WHERE id = $1 RETURNING id`,
        [runId],
      );
      if (updated.rows.length === 0) return false;
      const keep = `SELECT block_id FROM maml.block_executions WHERE run_id = $1 AND status = 'succeeded'`;
      await tx.query(`DELETE FROM maml.block_attempts WHERE run_id = $1 AND block_id NOT IN (${keep})`, [runId]);
      await tx.query(`DELETE FROM maml.block_jobs WHERE run_id = $1 AND block_id NOT IN (${keep})`, [runId]);
      await tx.query(`DELETE FROM maml.block_executions WHERE run_id = $1 AND status <> 'succeeded'`, [runId]);
      return true;
    });
  }

  /** Records a block's final state once; a second call for the same run and block changes nothing. */
  async recordBlock(
    row: Omit<BlockRow, 'startedAt' | 'finishedAt'> & { startedAt?: Date; finishedAt?: Date },
  ): Promise<boolean> {
    const result = await this.db.query(
      `INSERT INTO maml.block_executions
         (run_id, block_id, attempt_id, lang, head, attempts, status, cached, started_at, finished_at, duration_ms, outputs, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, $13::jsonb)
       ON CONFLICT (run_id, block_id) DO NOTHING
       RETURNING block_id`,
      [
        row.runId,
        row.blockId,
        row.attemptId,
        row.lang,
        row.head,
        row.attempts,
        row.status,
        row.cached,
        row.startedAt?.toISOString() ?? null,
        row.finishedAt?.toISOString() ?? null,
        row.durationMs,
        json(row.outputs),
        json(row.error ?? null),
      ],
    );
    return result.rows.length === 1;
  }

  /**
   * Records one event of a run's stream under its own `seq` and time: the run store is a subscriber of the stream
   * (executePlan hands it every event first), and the only writer of a run's events.
   */
  async recordEvent(event: RunEvent): Promise<void> {
    await this.db.query(
      'INSERT INTO maml.events (run_id, seq, type, block_id, data, at) VALUES ($1, $2, $3, $4, $5::jsonb, $6::timestamptz)',
      [event.runId, event.seq, event.type, event.blockId, json(event.data), event.at],
    );
  }

  async listRuns(limit = 20): Promise<RunRow[]> {
    const result = await this.db.query('SELECT * FROM maml.runs ORDER BY started_at DESC, id LIMIT $1', [limit]);
    return result.rows.map(runRow);
  }

  /** A run by id or unique id prefix. */
  async getRun(idOrPrefix: string): Promise<{ run: RunRow; blocks: BlockRow[]; events: EventRow[] } | undefined> {
    const found = await this.db.query('SELECT * FROM maml.runs WHERE id = $1 OR id LIKE $2 ORDER BY id LIMIT 2', [
      idOrPrefix,
      `${idOrPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    ]);
    const exact = found.rows.find((r) => r['id'] === idOrPrefix);
    const row = exact ?? (found.rows.length === 1 ? found.rows[0] : undefined);
    if (!row) return undefined;
    const run = runRow(row);
    const blocks = (
      await this.db.query(
        'SELECT * FROM maml.block_executions WHERE run_id = $1 ORDER BY started_at NULLS LAST, block_id',
        [run.id],
      )
    ).rows.map((r): BlockRow => ({
      runId: run.id,
      blockId: String(r['block_id']),
      attemptId: String(r['attempt_id']),
      lang: String(r['lang']),
      head: (r['head'] as string | null) ?? null,
      attempts: Number(r['attempts']),
      status: r['status'] as BlockStatus,
      cached: r['cached'] === true,
      startedAt: iso(r['started_at']),
      finishedAt: iso(r['finished_at']),
      durationMs: r['duration_ms'] === null ? null : Number(r['duration_ms']),
      outputs: r['outputs'] ?? null,
      error: r['error'] ?? null,
    }));
    const events = (await this.db.query('SELECT * FROM maml.events WHERE run_id = $1 ORDER BY seq', [run.id])).rows.map(
      (r): EventRow => ({
        seq: Number(r['seq']),
        at: iso(r['at']) ?? '',
        type: String(r['type']),
        blockId: (r['block_id'] as string | null) ?? null,
        data: r['data'],
      }),
    );
    return { run, blocks, events };
  }

  async cacheGet(key: string): Promise<Record<string, unknown> | undefined> {
    const result = await this.db.query('SELECT outputs FROM maml.cache WHERE key = $1', [key]);
    return result.rows[0]?.['outputs'] as Record<string, unknown> | undefined;
  }

  async cachePut(key: string, outputs: unknown): Promise<void> {
    await this.db.query(
      'INSERT INTO maml.cache (key, outputs) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET outputs = EXCLUDED.outputs, created_at = now()',
      [key, json(outputs)],
    );
  }
}
