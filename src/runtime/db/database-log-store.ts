/**
 * The audit log's `LogStore` in the run database (`maml.audit_log`, PGlite or PostgreSQL), on the runtime's
 * connection. Like every store it is untrusted: `auditVerify` recomputes each hash. Indices are dense: a row is
 * appended at the current row count under a transaction-scoped advisory lock, so processes sharing a PostgreSQL
 * database append one at a time (and the primary key would refuse a second writer racing for the same index).
 */
import { bytesToHex, fromBase64, fromHex, toBase64, type LogStore, type StoredLeaf } from '../../crypto/index.js';
import type { Database, SqlClient } from './database.js';

/** pg_advisory_xact_lock key that serialises appends from every process sharing the database. */
const APPEND_LOCK = 72_616_416;

/**
 * Appends a leaf inside the caller's transaction (which then holds the append lock until it ends): how a ticket,
 * its row and its block's result are committed together (queue/ticket-commit.ts).
 */
export async function appendLeafIn(tx: SqlClient, leaf: StoredLeaf): Promise<number> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
  const result = await tx.query(
    `INSERT INTO maml.audit_log (idx, entry, leaf_hash)
     SELECT count(*), $1, $2 FROM maml.audit_log RETURNING idx`,
    [toBase64(leaf.entry), bytesToHex(leaf.leafHash)],
  );
  return Number(result.rows[0]?.['idx']);
}

export class DatabaseLogStore implements LogStore {
  constructor(private readonly db: Database) {}

  append(leaf: StoredLeaf): Promise<number> {
    return this.db.transaction((tx) => appendLeafIn(tx, leaf));
  }

  async get(index: number): Promise<StoredLeaf | undefined> {
    const result = await this.db.query('SELECT entry, leaf_hash FROM maml.audit_log WHERE idx = $1', [index]);
    const row = result.rows[0];
    if (!row) return undefined;
    const entry = fromBase64(String(row['entry']));
    const leafHash = fromHex(String(row['leaf_hash']));
    if (!entry || !leafHash) throw new RangeError(`audit log row ${index} is not valid base64/hex`);
    return { entry, leafHash };
  }

  /** Every row from `from` on, in one query (opening a large log row by row would be slow). */
  async range(from: number, to: number): Promise<StoredLeaf[]> {
    const result = await this.db.query(
      'SELECT entry, leaf_hash FROM maml.audit_log WHERE idx >= $1 AND idx < $2 ORDER BY idx',
      [from, to],
    );
    return result.rows.map((row) => ({
      entry: fromBase64(String(row['entry'])) ?? new Uint8Array(),
      leafHash: fromHex(String(row['leaf_hash'])) ?? new Uint8Array(),
    }));
  }

  async size(): Promise<number> {
    const result = await this.db.query('SELECT count(*) AS n FROM maml.audit_log', []);
    return Number(result.rows[0]?.['n'] ?? 0);
  }
}
