/**
 * Every query on `maml.tickets` and `maml.ticket_keys` (db/migrations.ts): where each issued ticket landed in the
 * audit log (by log index, by run), and the public keys of every ticket signer this database has seen, so a ticket
 * verifies after the process that signed it is gone. The issuer writes through it; the gateway's ticket route,
 * run view and `maml_verify` read through it.
 */
import type { SqlClient } from '../db/database.js';

export interface TicketRow {
  readonly logIndex: number;
  readonly runId: string;
  readonly blockId: string;
  readonly keyId: string;
  /** base64url(JCS).base64url(signature). */
  readonly compact: string;
  /** Which execution of the block, when a run executes it more than once (`round-3`); '' otherwise. */
  readonly execution?: string;
}

export interface TicketKeyRow {
  readonly keyId: string;
  readonly alg: string;
  /** base64 of the public key. */
  readonly publicKey: string;
}

function ticketRow(r: Record<string, unknown>): TicketRow {
  return {
    logIndex: Number(r['log_index']),
    runId: String(r['run_id']),
    blockId: String(r['block_id']),
    keyId: String(r['key_id']),
    compact: String(r['compact']),
    ...(r['execution'] ? { execution: String(r['execution']) } : {}),
  };
}

/** Finds a run record's event by its audit-log index; migration 4's partial index serves it. */
export const RUN_RECORD_BY_LOG_INDEX = `SELECT run_id, data FROM maml.events WHERE type = 'record_issued' AND data->>'logIndex' = $1 LIMIT 1`;

export class TicketStore {
  constructor(private readonly db: SqlClient) {}

  /** Notes where a ticket was logged. */
  async add(ticket: TicketRow): Promise<void> {
    await this.db.query(
      'INSERT INTO maml.tickets (log_index, run_id, block_id, key_id, compact, execution) VALUES ($1, $2, $3, $4, $5, $6)',
      [ticket.logIndex, ticket.runId, ticket.blockId, ticket.keyId, ticket.compact, ticket.execution ?? ''],
    );
  }

  async byLogIndex(logIndex: number): Promise<TicketRow | undefined> {
    const row = (
      await this.db.query(
        'SELECT log_index, run_id, block_id, key_id, compact FROM maml.tickets WHERE log_index = $1',
        [logIndex],
      )
    ).rows[0];
    return row && ticketRow(row);
  }

  /** The run's tickets in log order. */
  async byRun(runId: string): Promise<TicketRow[]> {
    return (
      await this.db.query(
        'SELECT log_index, run_id, block_id, key_id, compact FROM maml.tickets WHERE run_id = $1 ORDER BY log_index',
        [runId],
      )
    ).rows.map(ticketRow);
  }

  /**
   * The signed run record logged at `logIndex` (its `record_issued` event: run records are not in maml.tickets,
   * the run's events say where each landed).
   */
  async runRecordByLogIndex(logIndex: number): Promise<{ runId: string; keyId: string; compact: string } | undefined> {
    const row = (await this.db.query(RUN_RECORD_BY_LOG_INDEX, [String(logIndex)])).rows[0];
    const data = row?.['data'] as { keyId?: unknown; compact?: unknown } | undefined;
    if (!row || typeof data?.compact !== 'string' || typeof data.keyId !== 'string') return undefined;
    return { runId: String(row['run_id']), keyId: data.keyId, compact: data.compact };
  }

  /** Records a signer's public key once. */
  async addKey(key: TicketKeyRow): Promise<void> {
    await this.db.query(
      'INSERT INTO maml.ticket_keys (key_id, alg, public_key) VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING',
      [key.keyId, key.alg, key.publicKey],
    );
  }

  /** Every ticket signing key seen, oldest first. */
  async keys(): Promise<TicketKeyRow[]> {
    return (
      await this.db.query('SELECT key_id, alg, public_key FROM maml.ticket_keys ORDER BY created_at, key_id', [])
    ).rows.map((r) => ({ keyId: String(r['key_id']), alg: String(r['alg']), publicKey: String(r['public_key']) }));
  }
}
