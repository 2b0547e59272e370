/**
 * Issues a signed execution ticket (ML-DSA, src/crypto) for every block a run executed and appends it to the
 * audit log, recording where it landed in `maml.tickets` so a ticket can be fetched by run or by log index.
 */
import {
  hashCanonical,
  hashCode,
  publicKeyId,
  signAndLogTicket,
  toBase64,
  type TicketSigner,
  type TransparencyLog,
} from '../../crypto/index.js';
import type { Database } from '../db/database.js';
import type { ThreadedTicketSigner } from './threaded-signer.js';

export interface ExecutedBlock {
  readonly docId: string;
  readonly runId: string;
  readonly blockId: string;
  readonly headId: string;
  readonly inputs: unknown;
  readonly outputs: unknown;
  readonly source: string;
  readonly startedAt: Date;
  readonly durationMs: number;
  /** `lang@executor-version` */
  readonly executor: string;
}

export interface IssuedTicket {
  /** The ticket's audit-log index, which is also its id. */
  readonly logIndex: number;
  readonly keyId: string;
}

export interface TicketIssuer {
  issue(block: ExecutedBlock): Promise<IssuedTicket>;
  /** Called after each ticket is logged (metrics). */
  onIssued?: (ticket: IssuedTicket) => void;
}

/** Records the signer's public key so tickets verify after the process that signed them is gone. */
export async function registerTicketKey(db: Database, signer: TicketSigner): Promise<string> {
  const keyId = publicKeyId(signer.publicKey);
  await db.query(
    'INSERT INTO maml.ticket_keys (key_id, alg, public_key) VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING',
    [keyId, signer.alg, toBase64(signer.publicKey)],
  );
  return keyId;
}

export function ticketIssuer(
  db: Database,
  signer: TicketSigner,
  log: TransparencyLog,
  onIssued?: (ticket: IssuedTicket) => void,
  /** Signs off the event loop when given; otherwise on this thread. */
  threaded?: ThreadedTicketSigner,
): TicketIssuer {
  return {
    async issue(block) {
      const fields = {
        docId: block.docId,
        runId: block.runId,
        blockId: block.blockId,
        headId: block.headId,
        inputHash: hashCanonical(block.inputs),
        outputHash: hashCanonical(block.outputs),
        codeHash: hashCode(block.source),
        startedAt: block.startedAt.toISOString(),
        durationMs: Math.max(0, Math.round(block.durationMs)),
        executor: block.executor,
      };
      const logged = threaded ? await threaded.signAndLog(fields, log) : await signAndLogTicket(fields, signer, log);
      await db.query(
        'INSERT INTO maml.tickets (log_index, run_id, block_id, key_id, compact) VALUES ($1, $2, $3, $4, $5)',
        [logged.logIndex, block.runId, block.blockId, logged.ticket.keyId, logged.compact],
      );
      const issued = { logIndex: logged.logIndex, keyId: logged.ticket.keyId };
      onIssued?.(issued);
      return issued;
    },
  };
}
