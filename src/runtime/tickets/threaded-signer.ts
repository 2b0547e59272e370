/**
 * Signs tickets on a worker thread (sign-worker.ts) and appends them to the audit log on this thread, in the
 * order signatures come back. Same result as crypto's `signAndLogTicket`, without blocking the event loop. Any
 * number of keys (one per head): each is handed to the worker once, with the first ticket it signs.
 */
import { Worker } from 'node:worker_threads';
import {
  publicKeyId,
  utf8ToBytes,
  type LoggedTicket,
  type Ticket,
  type TicketSigner,
  type TransparencyLog,
} from '../../crypto/index.js';

type Reply = { id: number; compact: string; ticket: Ticket } | { id: number; error: string };

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

  async signAndLog(
    fields: Omit<Ticket, 'v' | 'keyId'>,
    signer: TicketSigner,
    log: TransparencyLog,
  ): Promise<LoggedTicket> {
    let keyId = this.keyIds.get(signer);
    if (keyId === undefined) this.keyIds.set(signer, (keyId = publicKeyId(signer.publicKey)));
    const key = this.sent.has(keyId)
      ? undefined
      : { alg: signer.alg, secretKey: signer.secretKey, publicKey: signer.publicKey };
    this.sent.add(keyId);
    const id = ++this.seq;
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, keyId, ...(key ? { key } : {}), fields });
    });
    if ('error' in reply) throw new RangeError(reply.error);
    const { index } = await log.append(utf8ToBytes(reply.compact));
    return { ticket: reply.ticket, compact: reply.compact, logIndex: index };
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}
