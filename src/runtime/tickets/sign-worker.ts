/**
 * Worker thread that signs tickets (ML-DSA takes ~10 ms per signature in pure JS), so the gateway's event loop
 * keeps delivering events and answering requests while tickets are signed. Messages: `{ id, keyId, key?, fields }`
 * in (the key, one per head, travels once: with the first ticket it signs), `{ id, compact, ticket }` or
 * `{ id, error }` out.
 */
import { parentPort } from 'node:worker_threads';
import { signTicket, type Ticket, type TicketSigner } from '../../crypto/index.js';

const signers = new Map<string, TicketSigner>();

parentPort?.on(
  'message',
  (message: { id: number; keyId: string; key?: TicketSigner; fields: Omit<Ticket, 'v' | 'keyId'> }) => {
    try {
      if (message.key) signers.set(message.keyId, message.key);
      const signer = signers.get(message.keyId);
      if (!signer) throw new RangeError(`no signing key ${message.keyId} in the signing thread`);
      const signed = signTicket(message.fields, signer);
      parentPort?.postMessage({ id: message.id, compact: signed.compact, ticket: signed.ticket });
    } catch (error) {
      parentPort?.postMessage({ id: message.id, error: (error as Error).message });
    }
  },
);
