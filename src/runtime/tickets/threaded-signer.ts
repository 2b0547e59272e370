/**
 * Signs tickets and run records on a worker thread (sign-worker.ts) and appends them to the audit log on this
 * thread, in the order signatures come back. Same result as crypto's `signAndLogTicket` and
 * `signAndLogRunRecord`, without blocking the event loop. Any number of keys (one per head): each is handed to the
 * worker once, with the first object it signs.
 */
import { Worker } from 'node:worker_threads';
import {
  bytesToHex,
  decodeRunRecord,
  decodeTicket,
  publicKeyId,
  utf8ToBytes,
  type LoggedRunRecord,
  type LoggedTicket,
  type RunRecordFields,
  type TicketFields,
  type TicketSigner,
  type TransparencyLog,
} from '../../crypto/index.js';
import type { SignRequest } from './sign-worker.js';

type Reply = { id: number; compact: string } | { id: number; error: string };
type Request = { kind: 'ticket'; fields: TicketFields } | { kind: 'run'; fields: RunRecordFields };

export class ThreadedTicketSigner {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  /** Key ids by signer, and the ids the worker already holds. */
  private readonly keyIds = new WeakMap<TicketSigner, string>();
  private readonly sent = new Set<string>();
  private seq = 0;

  constructor() {
    this.worker = new Worker(new URL('./sign-worker.js', import.meta.url));
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      this.pending.get(reply.id)?.resolve(reply);
      this.pending.delete(reply.id);
    });
    this.worker.on('error', (error) => {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
  }

  /** Signs on the worker and appends to the log; the compact form and where it landed. */
  private async signAppend(
    request: Request,
    signer: TicketSigner,
    log: TransparencyLog,
  ): Promise<{ compact: string; logIndex: number; leafHash: string }> {
    let keyId = this.keyIds.get(signer);
    if (keyId === undefined) this.keyIds.set(signer, (keyId = publicKeyId(signer.publicKey)));
    const key = this.sent.has(keyId)
      ? undefined
      : { alg: signer.alg, secretKey: signer.secretKey, publicKey: signer.publicKey };
    this.sent.add(keyId);
    const id = ++this.seq;
    const message: SignRequest = { id, keyId, ...(key ? { key } : {}), ...request };
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(message);
    });
    if ('error' in reply) throw new RangeError(reply.error);
    const { index, leafHash } = await log.append(utf8ToBytes(reply.compact));
    return { compact: reply.compact, logIndex: index, leafHash: bytesToHex(leafHash) };
  }

  async signAndLog(fields: TicketFields, signer: TicketSigner, log: TransparencyLog): Promise<LoggedTicket> {
    const logged = await this.signAppend({ kind: 'ticket', fields }, signer, log);
    const decoded = decodeTicket(logged.compact);
    if (!decoded.ok) throw new RangeError(`the signing thread returned an invalid ticket: ${decoded.reason}`);
    return { ...logged, ticket: decoded.ticket };
  }

  async signAndLogRun(fields: RunRecordFields, signer: TicketSigner, log: TransparencyLog): Promise<LoggedRunRecord> {
    const logged = await this.signAppend({ kind: 'run', fields }, signer, log);
    const decoded = decodeRunRecord(logged.compact);
    if (!decoded.ok) throw new RangeError(`the signing thread returned an invalid run record: ${decoded.reason}`);
    return { ...logged, record: decoded.record };
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
