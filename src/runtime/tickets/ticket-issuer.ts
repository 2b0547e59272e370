/**
 * Issues a signed execution ticket (ML-DSA, src/crypto) for every block a run executed and appends it to the
 * audit log, recording where it landed (TicketStore) so a ticket can be fetched by run or by log index; and,
 * at the end of the run, a signed run record (what makes its History `[EXECUTE]` line verifiable), also appended
 * to the audit log and noted in the run's events.
 */
import {
  hashAttributes,
  hashCanonical,
  hashCode,
  publicKeyId,
  signAndLogRunRecord,
  signAndLogTicket,
  toBase64,
  type RunRecordFields,
  type TicketSigner,
  type TransparencyLog,
} from '../../crypto/index.js';
import type { Database } from '../db/database.js';
import type { ThreadedTicketSigner } from './threaded-signer.js';
import { TicketStore } from './ticket-store.js';

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
  /** The block's language, attributes and direct upstream block ids (graph order), as the run planned them. */
  readonly lang: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly upstream: readonly string[];
  /**
   * Which execution of the block this is, when a run executes it more than once (a federated round: `round-3`);
   * the run database keeps one ticket per (run, block, execution).
   */
  readonly execution?: string;
  /** The block's `maml.quantum` calls, when it made any (recorded in the ticket). */
  readonly quantum?: { readonly calls: number; readonly simulatorMs: number };
}

export interface IssuedTicket {
  /** The ticket's audit-log index, which is also its id. */
  readonly logIndex: number;
  readonly keyId: string;
  /** base64url(JCS).base64url(signature): the full-form History `[TICKET]` text. */
  readonly compact: string;
  /** RFC 9162 leaf hash (hex) of `compact`: with `logIndex`, the compact-form History text. */
  readonly leafHash: string;
}

/** A finished run, as its signed record states it (the scheduler signs it with the `scheduler` head's key). */
export type FinishedRun = Omit<RunRecordFields, 'headId'>;

export interface IssuedRunRecord {
  readonly logIndex: number;
  readonly keyId: string;
  readonly compact: string;
  readonly leafHash: string;
}

/** The head id whose key signs run records (key `head-scheduler`). */
export const RUN_RECORD_HEAD = 'scheduler';

/** One key for every head, or a key per head (the head's id in, its signer out). */
export type SignerSource = TicketSigner | ((headId: string) => Promise<TicketSigner>);

export interface TicketIssuer {
  issue(block: ExecutedBlock): Promise<IssuedTicket>;
  /** Signs and logs the run's record once every ticket of the run is issued. */
  issueRun(run: FinishedRun): Promise<IssuedRunRecord>;
  /** Called after each ticket is logged (metrics). */
  onIssued?: (ticket: IssuedTicket) => void;
}

/** Records the signer's public key so tickets verify after the process that signed them is gone. */
export async function registerTicketKey(db: Database, signer: TicketSigner): Promise<string> {
  const keyId = publicKeyId(signer.publicKey);
  await new TicketStore(db).addKey({ keyId, alg: signer.alg, publicKey: toBase64(signer.publicKey) });
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
  const store = new TicketStore(db);
  const signerFor = async (headId: string): Promise<TicketSigner> => {
    if (typeof signers !== 'function') return signers;
    const signer = await signers(headId);
    const keyId = publicKeyId(signer.publicKey);
    if (!registered.has(keyId)) {
      await registerTicketKey(db, signer);
      registered.add(keyId);
    }
    return signer;
  };
  return {
    async issue(block) {
      const signer = await signerFor(block.headId);
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
        lang: block.lang,
        attrsHash: hashAttributes(block.attributes),
        upstream: block.upstream,
        ...(block.quantum
          ? { quantum: { calls: block.quantum.calls, simulatorMs: Math.max(0, Math.round(block.quantum.simulatorMs)) } }
          : {}),
      };
      const logged = threaded
        ? await threaded.signAndLog(fields, signer, log)
        : await signAndLogTicket(fields, signer, log);
      await store.add({
        logIndex: logged.logIndex,
        runId: block.runId,
        blockId: block.blockId,
        keyId: logged.ticket.keyId,
        compact: logged.compact,
        ...(block.execution ? { execution: block.execution } : {}),
      });
      const issued = {
        logIndex: logged.logIndex,
        keyId: logged.ticket.keyId,
        compact: logged.compact,
        leafHash: logged.leafHash,
      };
      onIssued?.(issued);
      return issued;
    },
    async issueRun(run) {
      const signer = await signerFor(RUN_RECORD_HEAD);
      const fields = { ...run, headId: RUN_RECORD_HEAD };
      const logged = threaded
        ? await threaded.signAndLogRun(fields, signer, log)
        : await signAndLogRunRecord(fields, signer, log);
      return {
        logIndex: logged.logIndex,
        keyId: logged.record.keyId,
        compact: logged.compact,
        leafHash: logged.leafHash,
      };
    },
  };
}
