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

/** Origin line of the run database's audit log checkpoints (C2SP tlog-checkpoint). */
export const AUDIT_LOG_ORIGIN = 'maml-gateway/audit-log';

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
  /** base64url(JCS).base64url(signature), as written on the History `[TICKET]` line. */
  readonly compact: string;
}

/** One key for every head, or a key per head (the head's id in, its signer out). */
export type SignerSource = TicketSigner | ((headId: string) => Promise<TicketSigner>);

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
  signers: SignerSource,
  log: TransparencyLog,
  onIssued?: (ticket: IssuedTicket) => void,
  /** Signs off the event loop when given; otherwise on this thread. */
  threaded?: ThreadedTicketSigner,
): TicketIssuer {
  const registered = new Set<string>();
  return {
    async issue(block) {
      let signer: TicketSigner;
      if (typeof signers === 'function') {
        signer = await signers(block.headId);
        const keyId = publicKeyId(signer.publicKey);
        if (!registered.has(keyId)) {
          await registerTicketKey(db, signer);
          registered.add(keyId);
        }
      } else signer = signers;
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
      const logged = threaded
        ? await threaded.signAndLog(fields, signer, log)
        : await signAndLogTicket(fields, signer, log);
      await db.query(
        'INSERT INTO maml.tickets (log_index, run_id, block_id, key_id, compact) VALUES ($1, $2, $3, $4, $5)',
        [logged.logIndex, block.runId, block.blockId, logged.ticket.keyId, logged.compact],
      );
      const issued = { logIndex: logged.logIndex, keyId: logged.ticket.keyId, compact: logged.compact };
      onIssued?.(issued);
      return issued;
    },
  };
}
