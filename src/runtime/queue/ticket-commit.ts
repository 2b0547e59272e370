/**
 * Records a worker's block result with its ticket, exactly once: in one transaction (holding the audit log's
 * append lock) the ticket's leaf is appended, its row written, and the block's execution recorded. A block that
 * already has a ticket keeps it (a second delivery, a second gateway, a gateway resuming after a crash): the
 * unique index on maml.tickets (run_id, block_id) and the check under the lock make a second ticket impossible,
 * and a crash before the commit leaves none, so the resumed run records it then.
 */
import { bytesToHex, hashLeaf, utf8ToBytes, type TransparencyLog } from '../../crypto/index.js';
import type { Database } from '../db/database.js';
import { appendLeafIn } from '../db/database-log-store.js';
import type { IssuedTicket } from '../tickets/ticket-issuer.js';

export interface CommittedBlock {
  readonly runId: string;
  readonly blockId: string;
  readonly attempt: number;
  readonly lang: string;
  readonly head: string;
  readonly keyId: string;
  readonly compact: string;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly outputs: unknown;
}

export async function commitTicket(
  db: Database,
  log: TransparencyLog,
  block: CommittedBlock,
): Promise<{ ticket: IssuedTicket; fresh: boolean }> {
  const leafHash = hashLeaf(utf8ToBytes(block.compact));
  const committed = await db.transaction(async (tx) => {
    const entry = utf8ToBytes(block.compact);
    // appendLeafIn takes the append lock first: the check below cannot race another committer.
    const existingFirst = async (): Promise<{ logIndex: number; keyId: string; compact: string } | undefined> => {
      const row = (
        await tx.query(
          "SELECT log_index, key_id, compact FROM maml.tickets WHERE run_id = $1 AND block_id = $2 AND execution = ''",
          [block.runId, block.blockId],
        )
      ).rows[0];
      return (
        row && { logIndex: Number(row['log_index']), keyId: String(row['key_id']), compact: String(row['compact']) }
      );
    };
    await tx.query('SELECT pg_advisory_xact_lock($1)', [72_616_416]);
    const existing = await existingFirst();
    if (existing) return { ...existing, fresh: false };
    const logIndex = await appendLeafIn(tx, { entry, leafHash });
    await tx.query(
      'INSERT INTO maml.tickets (log_index, run_id, block_id, key_id, compact) VALUES ($1, $2, $3, $4, $5)',
      [logIndex, block.runId, block.blockId, block.keyId, block.compact],
    );
    await tx.query(
      `INSERT INTO maml.block_executions
         (run_id, block_id, attempt_id, lang, head, attempts, status, cached, started_at, finished_at, duration_ms, outputs)
       VALUES ($1, $2, $3, $4, $5, $6, 'succeeded', false, $7, now(), $8, $9::jsonb)
       ON CONFLICT (run_id, block_id) DO NOTHING`,
      [
        block.runId,
        block.blockId,
        `${block.runId}/${block.blockId}/${block.attempt}`,
        block.lang,
        block.head,
        block.attempt,
        block.startedAt.toISOString(),
        block.durationMs,
        JSON.stringify(block.outputs),
      ],
    );
    return { logIndex, keyId: block.keyId, compact: block.compact, fresh: true };
  });
  await log.catchUp();
  const leaf = committed.fresh ? bytesToHex(leafHash) : bytesToHex(hashLeaf(utf8ToBytes(committed.compact)));
  return {
    ticket: { logIndex: committed.logIndex, keyId: committed.keyId, compact: committed.compact, leafHash: leaf },
    fresh: committed.fresh,
  };
}
